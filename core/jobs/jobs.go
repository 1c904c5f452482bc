// Package jobs is Guichet's durable outbox: side effects (mail, webhooks,
// plugin calls) are enqueued in the same transaction as the change that causes
// them, then run by workers with retries, so a crash between commit and side
// effect delays it but never loses it. It must not import net/http or gin.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
)

// Job is one pending side effect.
type Job struct {
	ID            int64           `bun:"id,pk,autoincrement"`
	Kind          string          `bun:"kind"`
	Payload       json.RawMessage `bun:"payload,type:text"`
	RunAt         time.Time       `bun:"run_at"`
	Attempts      int             `bun:"attempts"`
	LastError     string          `bun:"last_error"`
	CreatedAt     time.Time       `bun:"created_at"`
	bun.BaseModel `bun:"table:outbox"`
}

// Handler runs one job. A returned error schedules a retry; wrap it with
// Permanent to give up at once.
type Handler func(ctx context.Context, job Job) error

// Enqueue adds a job, due now by the database clock, through idb (normally
// the caller's transaction).
func Enqueue(ctx context.Context, idb bun.IDB, kind string, payload any) error {
	now, err := db.Now(ctx, idb)
	if err != nil {
		return err
	}
	return EnqueueAt(ctx, idb, kind, payload, now)
}

// EnqueueAt adds a job that must not run before at.
func EnqueueAt(ctx context.Context, db bun.IDB, kind string, payload any, at time.Time) error {
	raw, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("jobs: encode %s: %w", kind, err)
	}
	return insertJob(ctx, db, kind, string(raw), at.UTC())
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks err as not worth retrying.
func Permanent(err error) error { return permanent{err} }

// MaxAttempts is how many times a job runs before it is parked as failed.
// With Backoff this spreads retries over about three days.
const MaxAttempts = 20

// Backoff returns the delay before attempt n+1 (n ≥ 1): exponential from
// 10 seconds, capped at 6 hours, with ±20 % jitter so retries spread out.
func Backoff(n int) time.Duration {
	d := 10 * time.Second << min(n-1, 12)
	if d > 6*time.Hour {
		d = 6 * time.Hour
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// Runner claims due jobs and runs their handlers.
type Runner struct {
	db       *bun.DB
	log      *slog.Logger
	mu       sync.RWMutex
	handlers map[string]Handler
	lease    time.Duration
}

// NewRunner returns a runner on db; register handlers before Run.
func NewRunner(db *bun.DB, log *slog.Logger) *Runner {
	return &Runner{db: db, log: log, handlers: map[string]Handler{}, lease: 2 * time.Minute}
}

// Handle registers h for jobs of kind.
func (r *Runner) Handle(kind string, h Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handlers[kind] = h
}

func (r *Runner) kinds() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		out = append(out, k)
	}
	return out
}

// Run works until ctx ends, polling every interval when idle. The job in
// hand when ctx ends is finished or, if its handler honours ctx, released
// for another attempt.
func (r *Runner) Run(ctx context.Context, interval time.Duration) {
	for ctx.Err() == nil {
		n, err := r.RunDue(ctx, 20)
		if err != nil && ctx.Err() == nil {
			r.log.Warn("jobs: claim failed", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(interval):
			}
		}
	}
}

// RunDue claims up to limit due jobs, runs them, records the outcomes and
// returns how many ran.
func (r *Runner) RunDue(ctx context.Context, limit int) (int, error) {
	kinds := r.kinds()
	if len(kinds) == 0 {
		return 0, nil
	}
	claimed, err := claim(ctx, r.db, kinds, limit, r.lease)
	if err != nil {
		return 0, err
	}
	for _, j := range claimed {
		r.runOne(ctx, j)
	}
	return len(claimed), nil
}

func (r *Runner) runOne(ctx context.Context, j Job) {
	r.mu.RLock()
	h := r.handlers[j.Kind]
	r.mu.RUnlock()
	err := safeCall(ctx, h, j)
	done := context.WithoutCancel(ctx)
	if err == nil {
		if ferr := finish(done, r.db, j.ID); ferr != nil {
			r.log.Error("jobs: cannot mark done", "id", j.ID, "err", ferr)
		}
		return
	}
	attempts := j.Attempts + 1
	_, isPermanent := err.(permanent)
	if isPermanent || attempts >= MaxAttempts {
		r.log.Error("jobs: giving up", "id", j.ID, "kind", j.Kind, "attempts", attempts, "err", err)
		err = park(done, r.db, j.ID, attempts, err.Error())
	} else {
		r.log.Warn("jobs: will retry", "id", j.ID, "kind", j.Kind, "attempts", attempts, "err", err)
		err = retry(done, r.db, j.ID, attempts, err.Error(), Backoff(attempts))
	}
	if err != nil {
		r.log.Error("jobs: cannot record failure", "id", j.ID, "err", err)
	}
}

func safeCall(ctx context.Context, h Handler, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return h(ctx, j)
}

// Fanout makes jobs of kind turn into one job per target kind, enqueued
// together in one transaction, so each subscriber (mail, webhooks, plugins)
// retries on its own. With no targets, jobs of kind are simply completed.
func (r *Runner) Fanout(kind string, targets ...string) {
	r.Handle(kind, func(ctx context.Context, j Job) error {
		if len(targets) == 0 {
			return nil
		}
		return r.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			now, err := db.Now(ctx, tx)
			if err != nil {
				return err
			}
			for _, t := range targets {
				if err := insertJob(ctx, tx, t, string(j.Payload), now); err != nil {
					return err
				}
			}
			return nil
		})
	})
}
