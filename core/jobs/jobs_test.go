package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/jobs"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestRunnerDoesRetriesAndParks(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		r := jobs.NewRunner(bdb, quiet)
		var ok, flaky, bad, boom atomic.Int32
		r.Handle("ok", func(context.Context, jobs.Job) error { ok.Add(1); return nil })
		r.Handle("flaky", func(context.Context, jobs.Job) error { flaky.Add(1); return errors.New("smtp down") })
		r.Handle("bad", func(context.Context, jobs.Job) error { bad.Add(1); return jobs.Permanent(errors.New("410 gone")) })
		r.Handle("boom", func(context.Context, jobs.Job) error { boom.Add(1); panic("handler bug") })
		for _, k := range []string{"ok", "flaky", "bad", "boom"} {
			dbtest.Must(t, jobs.Enqueue(ctx, bdb, k, map[string]int{"n": 1}))
		}
		dbtest.Must(t, jobs.EnqueueAt(ctx, bdb, "ok", nil, time.Now().Add(time.Hour)))
		n, err := r.RunDue(ctx, 10)
		dbtest.Must(t, err)
		if n != 4 || ok.Load() != 1 || flaky.Load() != 1 || bad.Load() != 1 || boom.Load() != 1 {
			t.Fatalf("ran %d: ok=%d flaky=%d bad=%d boom=%d", n, ok.Load(), flaky.Load(), bad.Load(), boom.Load())
		}
		// Nothing is due now: the retry waits for its backoff, the parked job
		// never runs again, the future job waits for its time.
		n, err = r.RunDue(ctx, 10)
		dbtest.Must(t, err)
		if n != 0 {
			t.Errorf("second pass ran %d jobs, want 0", n)
		}
		pending, err := jobs.Pending(ctx, bdb, "")
		dbtest.Must(t, err)
		if pending != 4 { // flaky (retrying), bad and boom (parked, kept for admins), future ok
			t.Errorf("pending = %d, want 4", pending)
		}
	})
}

func TestFanoutCopiesToEachTarget(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		r := jobs.NewRunner(bdb, quiet)
		got := map[string]string{}
		r.Fanout("ticket.created", "mail.ack", "webhook.deliver")
		for _, k := range []string{"mail.ack", "webhook.deliver"} {
			r.Handle(k, func(_ context.Context, j jobs.Job) error { got[k] = string(j.Payload); return nil })
		}
		dbtest.Must(t, jobs.Enqueue(ctx, bdb, "ticket.created", map[string]string{"number": "K7Q2M"}))
		for range 3 {
			_, err := r.RunDue(ctx, 10)
			dbtest.Must(t, err)
		}
		if got["mail.ack"] != `{"number":"K7Q2M"}` || got["webhook.deliver"] != `{"number":"K7Q2M"}` {
			t.Errorf("targets got %v", got)
		}
	})
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 8; n++ {
		d := jobs.Backoff(n)
		if d < 8*time.Second || d < prev/2 {
			t.Errorf("Backoff(%d) = %v", n, d)
		}
		prev = d
	}
	if d := jobs.Backoff(100); d > 6*time.Hour*12/10 {
		t.Errorf("Backoff(100) = %v, want at most 6 h + jitter", d)
	}
	var total time.Duration
	for n := 1; n < jobs.MaxAttempts; n++ {
		total += jobs.Backoff(n)
	}
	if total < 48*time.Hour || total > 5*24*time.Hour {
		t.Errorf("retries span %v, want about three days", total)
	}
}
