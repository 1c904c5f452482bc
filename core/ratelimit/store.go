package ratelimit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// hit adds one to the window's counter atomically and returns the new count.
func hit(ctx context.Context, idb bun.IDB, key string, start time.Time) (int, error) {
	var n int
	err := idb.NewRaw(`INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
		RETURNING count`, key, start).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("ratelimit: count: %w", err)
	}
	return n, nil
}

func count(ctx context.Context, idb bun.IDB, key string, start time.Time) (int, error) {
	var n int
	err := idb.NewRaw("SELECT count FROM rate_limits WHERE key = ? AND window_start = ?", key, start).Scan(ctx, &n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("ratelimit: read: %w", err)
	}
	return n, nil
}

func reset(ctx context.Context, idb bun.IDB, key string) error {
	if _, err := idb.NewRaw("DELETE FROM rate_limits WHERE key = ?", key).Exec(ctx); err != nil {
		return fmt.Errorf("ratelimit: reset: %w", err)
	}
	return nil
}

func prune(ctx context.Context, idb bun.IDB, cutoff time.Time) error {
	if _, err := idb.NewRaw("DELETE FROM rate_limits WHERE window_start < ?", cutoff).Exec(ctx); err != nil {
		return fmt.Errorf("ratelimit: prune: %w", err)
	}
	return nil
}
