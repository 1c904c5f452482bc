package customer_test

import (
	"context"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

func TestNormalizeEmail(t *testing.T) {
	cases := []struct{ in, want string }{
		{" Ana@Example.COM ", "ana@example.com"},
		{"ana+sav@example.fr", "ana+sav@example.fr"},
		{"Ana <ana@example.com>", ""},
		{"ana@example.com\r\nBcc: x@y.z", ""},
		{"ana", ""},
		{"", ""},
	}
	for _, tc := range cases {
		got, err := customer.NormalizeEmail(tc.in)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestFindOrCreateConvergesOnOneCustomer(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		ids := make([]int64, 6)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := customer.FindOrCreate(ctx, bdb, "Ana@Example.com", "Ana")
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = c.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] || id == 0 {
				t.Fatalf("ids %v, want one customer", ids)
			}
		}
		s := customer.NewService(bdb)
		c, err := s.ByEmail(ctx, "ANA@example.com")
		if err != nil || c.Name != "Ana" {
			t.Errorf("ByEmail = %+v, %v", c, err)
		}
		if _, err := s.ByEmail(ctx, "nobody@example.com"); !errs.Is(err, errs.NotFound) {
			t.Errorf("unknown: %v", err)
		}
	})
}
