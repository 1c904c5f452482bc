package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
)

func insertJob(ctx context.Context, idb bun.IDB, kind, payload string, at time.Time) error {
	_, err := idb.NewRaw(`INSERT INTO outbox (kind, payload, run_at, created_at) VALUES (?, ?, ?, ?)`,
		kind, payload, at, time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", kind, err)
	}
	return nil
}

// claim leases up to limit due jobs of the given kinds. On PostgreSQL,
// SKIP LOCKED lets several nodes claim side by side without waiting; SQLite
// has one writer, so a plain update in one transaction is already exclusive.
func claim(ctx context.Context, bdb *bun.DB, kinds []string, limit int, lease time.Duration) ([]Job, error) {
	var out []Job
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now, err := db.Now(ctx, tx)
		if err != nil {
			return err
		}
		q := tx.NewSelect().Model(&out).
			Where("done_at IS NULL").Where("run_at <= ?", now).
			Where("(locked_until IS NULL OR locked_until < ?)", now).
			Where("kind IN (?)", bun.List(kinds)).
			Where("attempts < ?", MaxAttempts).
			OrderExpr("run_at, id").Limit(int64(limit))
		if db.IsPostgres(tx) {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		ids := make([]int64, len(out))
		for i, j := range out {
			ids[i] = j.ID
		}
		_, err = tx.NewRaw("UPDATE outbox SET locked_until = ? WHERE id IN (?)", now.Add(lease), bun.List(ids)).Exec(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jobs: claim: %w", err)
	}
	return out, nil
}

func finish(ctx context.Context, idb bun.IDB, id int64) error {
	_, err := idb.NewRaw("UPDATE outbox SET done_at = ?, locked_until = NULL WHERE id = ?", time.Now().UTC(), id).Exec(ctx)
	return err
}

func retry(ctx context.Context, idb bun.IDB, id int64, attempts int, msg string, after time.Duration) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	_, err = idb.NewRaw("UPDATE outbox SET attempts = ?, last_error = ?, run_at = ?, locked_until = NULL WHERE id = ?",
		attempts, truncate(msg), now.Add(after), id).Exec(ctx)
	return err
}

// park keeps a failed job for admins to see; attempts ≥ MaxAttempts stops claims.
func park(ctx context.Context, idb bun.IDB, id int64, attempts int, msg string) error {
	_, err := idb.NewRaw("UPDATE outbox SET attempts = ?, last_error = ?, locked_until = NULL WHERE id = ?",
		max(attempts, MaxAttempts), truncate(msg), id).Exec(ctx)
	return err
}

// Pending counts jobs not yet done, for /metrics and tests.
func Pending(ctx context.Context, idb bun.IDB, kind string) (int, error) {
	q := idb.NewSelect().Table("outbox").Where("done_at IS NULL")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: count: %w", err)
	}
	return int(n), nil
}

func truncate(s string) string {
	if len(s) > 2000 {
		return s[:2000]
	}
	return s
}
