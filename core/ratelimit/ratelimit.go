// Package ratelimit counts events per key in fixed windows stored in the
// database, so limits hold across nodes and restarts: code sends per address,
// sign-in attempts per address and IP, and so on. Windows follow the
// database clock. It must not import net/http or gin.
package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

// Rule allows Max events per Window.
type Rule struct {
	Max    int
	Window time.Duration
}

// Limiter checks and counts events.
type Limiter struct{ db *bun.DB }

// New returns a limiter on db.
func New(db *bun.DB) *Limiter { return &Limiter{db: db} }

// Allow counts one event for key under every rule and returns a RateLimited
// error (saying when to retry) if any rule is exceeded. The event is counted
// even when refused, so hammering does not help.
func (l *Limiter) Allow(ctx context.Context, key string, rules ...Rule) error {
	now, err := db.Now(ctx, l.db)
	if err != nil {
		return err
	}
	for _, r := range rules {
		start := now.Truncate(r.Window)
		n, err := hit(ctx, l.db, fmt.Sprintf("%s|%s", key, r.Window), start)
		if err != nil {
			return err
		}
		if n > r.Max {
			wait := start.Add(r.Window).Sub(now).Round(time.Second)
			return &errs.Error{Kind: errs.RateLimited, Message: fmt.Sprintf("too many attempts; try again in %s", wait)}
		}
	}
	return nil
}

// Count returns how many events key has in the current window of r.
func (l *Limiter) Count(ctx context.Context, key string, r Rule) (int, error) {
	now, err := db.Now(ctx, l.db)
	if err != nil {
		return 0, err
	}
	return count(ctx, l.db, fmt.Sprintf("%s|%s", key, r.Window), now.Truncate(r.Window))
}

// Reset forgets key's counts under r (for example after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string, r Rule) error {
	return reset(ctx, l.db, fmt.Sprintf("%s|%s", key, r.Window))
}

// Prune deletes windows that ended before cutoff; a scheduled job calls it.
func (l *Limiter) Prune(ctx context.Context, olderThan time.Duration) error {
	now, err := db.Now(ctx, l.db)
	if err != nil {
		return err
	}
	return prune(ctx, l.db, now.Add(-olderThan))
}
