package pluginhost

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

func TestCrashMidCallRestartsThePlugin(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "rogue", "rogue")
	h := started(t, dbtest.Open(t, "sqlite"), dir, fast(), "rogue")
	ctx := context.Background()
	before, err := h.LookupCustomer(ctx, "a@example.com")
	dbtest.Must(t, err)

	_, err = h.LookupCustomer(ctx, "crash@example.com")
	if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "rogue") {
		t.Fatalf("crash mid-call: err = %v, want Unavailable naming the plugin", err)
	}
	p := waitFor(t, h, "rogue", "running again", func(p Plugin) bool { return p.State == StateRunning && p.Restarts > 0 })
	if p.Restarts != 1 || !strings.Contains(p.LastError, "exited") {
		t.Errorf("after crash: restarts %d, last error %q", p.Restarts, p.LastError)
	}
	after, err := h.LookupCustomer(ctx, "b@example.com")
	if err != nil {
		t.Fatalf("call after restart: %v", err)
	}
	if after.Data.GetOrganization().GetExternalId() == before.Data.GetOrganization().GetExternalId() {
		t.Errorf("same pid %s before and after the crash", after.Data.GetOrganization().GetExternalId())
	}
}

func TestHangHitsTheDeadlineThenTheBreakerOpens(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "rogue", "rogue")
	opt := fast()
	opt.Timeouts["customer_directory"] = 200 * time.Millisecond
	opt.BreakerFailures = 2
	h := started(t, dbtest.Open(t, "sqlite"), dir, opt, "rogue")
	ctx := context.Background()
	for n := range 2 {
		start := time.Now()
		_, err := h.LookupCustomer(ctx, "hang@example.com")
		if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "did not answer within 200ms") {
			t.Fatalf("hang %d: err = %v", n, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("hang %d took %s; the deadline did not hold", n, d)
		}
	}
	start := time.Now()
	_, err := h.LookupCustomer(ctx, "a@example.com")
	if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "paused after repeated failures") {
		t.Fatalf("after two hangs: err = %v, want the open circuit", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("open circuit answered in %s; it must not wait for the plugin", d)
	}
}

func TestBadRepliesAreRefused(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "rogue", "rogue")
	h := started(t, dbtest.Open(t, "sqlite"), dir, fast(), "rogue")
	cases := []struct {
		name, email, want string
	}{
		{"oversized reply", "huge@example.com", "larger than the limit"},
		{"garbage reply", "garbage@example.com", "invalid customer_directory reply"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.LookupCustomer(context.Background(), tc.email)
			if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want Unavailable with %q", err, tc.want)
			}
			if _, err := h.LookupCustomer(context.Background(), "ok@example.com"); err != nil {
				t.Fatalf("the plugin should still answer after a bad reply: %v", err)
			}
		})
	}
	if p, _ := h.Get(context.Background(), "rogue"); p.Restarts != 0 {
		t.Errorf("bad replies restarted the plugin %d times", p.Restarts)
	}
}

func TestChangedBinaryIsRefused(t *testing.T) {
	dir := t.TempDir()
	bin := install(t, dir, "rogue", "rogue")
	bdb := dbtest.Open(t, "sqlite")
	h := mustHost(t, bdb, dir, fast())
	ctx := context.Background()
	dbtest.Must(t, h.Enable(ctx, admin, "rogue"))
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	dbtest.Must(t, err)
	_, err = f.Write([]byte("tampered"))
	dbtest.Must(t, err)
	dbtest.Must(t, f.Close())

	h.Start(ctx)
	t.Cleanup(h.Stop)
	p := waitState(t, h, "rogue", StateRefused)
	if !strings.Contains(p.Reason, "binary changed since it was enabled") {
		t.Errorf("reason = %q", p.Reason)
	}
	if _, err := h.LookupCustomer(ctx, "a@example.com"); !errs.Is(err, errs.Unavailable) {
		t.Errorf("lookup on a refused plugin: %v", err)
	}
	dbtest.Must(t, h.Enable(ctx, admin, "rogue")) // the admin trusts the new binary
	waitState(t, h, "rogue", StateRunning)
}

func TestRepeatedCrashesQuarantine(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "rogue", "babbler") // talks on stdout before the handshake
	bdb := dbtest.Open(t, "sqlite")
	h := mustHost(t, bdb, dir, fast())
	ctx := context.Background()
	dbtest.Must(t, h.Enable(ctx, admin, "babbler"))
	h.Start(ctx)
	t.Cleanup(h.Stop)
	p := waitState(t, h, "babbler", StateQuarantined)
	if !strings.Contains(p.Reason, "crashed 3 times") || p.Restarts != 3 {
		t.Errorf("quarantine: reason %q, restarts %d", p.Reason, p.Restarts)
	}
	rec, err := getRecord(ctx, bdb, "babbler")
	dbtest.Must(t, err)
	if rec.QuarantinedAt == nil || rec.QuarantineReason != p.Reason {
		t.Errorf("quarantine not recorded: %+v", rec)
	}
	// Another process (the CLI) sees it too.
	cli := mustHost(t, bdb, dir, fast())
	if q, _ := cli.Get(ctx, "babbler"); q.State != StateQuarantined {
		t.Errorf("CLI sees state %s", q.State)
	}
}

func TestBackoffDoublesUpToItsMaximum(t *testing.T) {
	h := &Host{opt: Options{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second}}
	cases := []struct {
		name    string
		crashes int
		want    time.Duration
	}{
		{"first crash", 1, 100 * time.Millisecond},
		{"second", 2, 200 * time.Millisecond},
		{"fourth", 4, 800 * time.Millisecond},
		{"capped", 5, time.Second},
		{"far past the cap", 500, time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.backoff(tc.crashes); got != tc.want {
				t.Errorf("backoff(%d) = %s, want %s", tc.crashes, got, tc.want)
			}
		})
	}
}
