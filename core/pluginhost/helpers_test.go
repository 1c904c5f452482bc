package pluginhost

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/sdk"
)

// admin is the actor of the tests' admin actions.
var admin = audit.Actor{Type: audit.ByAgent, ID: 1}

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// binaries builds the real plugins once per test process: the rogue test
// plugin and the two first-party plugins.
func binaries(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "pluginhost-bin-")
		if buildErr != nil {
			return
		}
		for name, src := range map[string]string{"rogue": "./testdata/rogue", "anonymizer": "../../plugins/anonymizer", "erplookup": "../../plugins/erplookup"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(buildDir, name), src).CombinedOutput()
			if err != nil {
				buildErr = &buildError{name: name, out: string(out), err: err}
				return
			}
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return buildDir
}

type buildError struct {
	name, out string
	err       error
}

func (e *buildError) Error() string { return "build " + e.name + ": " + e.err.Error() + "\n" + e.out }

// install copies plugin name into dir/<as>/ with its manifest; the id in the
// manifest becomes as.
func install(tb testing.TB, dir, name, as string) string {
	tb.Helper()
	bin := binaries(tb)
	manifests := map[string]string{"rogue": "testdata/rogue/plugin.yaml", "anonymizer": "../../plugins/anonymizer/plugin.yaml", "erplookup": "../../plugins/erplookup/plugin.yaml"}
	m, err := os.ReadFile(manifests[name])
	dbtest.Must(tb, err)
	if as != name {
		m = []byte(strings.Replace(string(m), "id: "+name, "id: "+as, 1))
	}
	dst := filepath.Join(dir, as)
	dbtest.Must(tb, os.MkdirAll(dst, 0o755))
	dbtest.Must(tb, os.WriteFile(filepath.Join(dst, "plugin.yaml"), m, 0o644))
	raw, err := os.ReadFile(filepath.Join(bin, name))
	dbtest.Must(tb, err)
	dbtest.Must(tb, os.WriteFile(filepath.Join(dst, as), raw, 0o755))
	return filepath.Join(dst, as)
}

// fast are options that make supervision observable within a test.
func fast() Options {
	return Options{BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond, QuarantineAfter: 3,
		PollInterval: 100 * time.Millisecond, BreakerOpenFor: time.Minute,
		Timeouts: map[string]time.Duration{sdk.CapCustomerDirectory: 2 * time.Second}}
}

func mustHost(tb testing.TB, bdb *bun.DB, dir string, opt Options) *Host {
	tb.Helper()
	opt.Dir = dir
	opt.SecretKey = make([]byte, 32)
	if os.Getenv("PLUGINHOST_LOG") == "" {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	h, err := New(bdb, opt)
	dbtest.Must(tb, err)
	return h
}

// started builds a host, enables the given plugins and starts it.
func started(tb testing.TB, bdb *bun.DB, dir string, opt Options, enable ...string) *Host {
	tb.Helper()
	h := mustHost(tb, bdb, dir, opt)
	for _, id := range enable {
		dbtest.Must(tb, h.Enable(context.Background(), admin, id))
	}
	h.Start(context.Background())
	tb.Cleanup(h.Stop)
	for _, id := range enable {
		waitState(tb, h, id, StateRunning)
	}
	return h
}

func waitState(tb testing.TB, h *Host, id string, want State) Plugin {
	tb.Helper()
	return waitFor(tb, h, id, string(want), func(p Plugin) bool { return p.State == want })
}

func waitFor(tb testing.TB, h *Host, id, want string, ok func(Plugin) bool) Plugin {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		p, err := h.Get(context.Background(), id)
		dbtest.Must(tb, err)
		if ok(p) {
			return p
		}
		if time.Now().After(deadline) {
			tb.Fatalf("plugin %s: state %s (%s), want %s; last error %q; logs %v", id, p.State, p.Reason, want, p.LastError, p.Logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
