package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ratelimit"
)

func TestAllowCountsAtomically(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		l := ratelimit.New(bdb)
		rule := ratelimit.Rule{Max: 5, Window: time.Hour}
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := l.Allow(ctx, "send:ana@example.com", rule)
				if err != nil && !errs.Is(err, errs.RateLimited) {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if err == nil {
					allowed++
				}
			}()
		}
		wg.Wait()
		if allowed != 5 {
			t.Errorf("allowed %d of 12 concurrent events, want exactly 5", allowed)
		}
		if err := l.Allow(ctx, "send:bob@example.com", rule); err != nil {
			t.Errorf("another key is limited too: %v", err)
		}
		n, err := l.Count(ctx, "send:ana@example.com", rule)
		if err != nil || n != 12 {
			t.Errorf("count = %d (%v), want 12 (refused events count too)", n, err)
		}
		dbtest.Must(t, l.Reset(ctx, "send:ana@example.com", rule))
		if err := l.Allow(ctx, "send:ana@example.com", rule); err != nil {
			t.Errorf("after reset: %v", err)
		}
	})
}
