package apikey_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

func TestKeys(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := apikey.NewService(bdb)
		k, secret, err := s.Create(ctx, "erp sync", []apikey.Scope{apikey.TicketsRead})
		dbtest.Must(t, err)
		if !strings.HasPrefix(secret, k.Prefix) || len(secret) != 52 || strings.Contains(k.Hash, secret[4:]) {
			t.Errorf("secret %q prefix %q", secret, k.Prefix)
		}
		got, err := s.Authenticate(ctx, secret)
		dbtest.Must(t, err)
		if got.ID != k.ID || !got.Allows(apikey.TicketsRead) || got.Allows(apikey.TicketsWrite) || got.LastUsedAt == nil {
			t.Errorf("authenticated %+v", got)
		}
		for _, bad := range []string{"", secret[:51], secret + "x", strings.ToUpper(secret), k.Prefix + strings.Repeat("a", 40)} {
			if _, err := s.Authenticate(ctx, bad); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("Authenticate(%q) = %v, want unauthorized", bad, err)
			}
		}
		dbtest.Must(t, s.Revoke(ctx, k.ID))
		if _, err := s.Authenticate(ctx, secret); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("revoked key accepted: %v", err)
		}
		if err := s.Revoke(ctx, k.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("second revoke: %v", err)
		}
		if _, _, err := s.Create(ctx, "x", []apikey.Scope{"admin:all"}); !errs.Is(err, errs.Invalid) {
			t.Errorf("unknown scope: %v", err)
		}
		list, err := s.List(ctx)
		dbtest.Must(t, err)
		if len(list) != 1 || list[0].RevokedAt == nil || list[0].Hash == "" {
			t.Errorf("list = %+v", list)
		}
	})
}
