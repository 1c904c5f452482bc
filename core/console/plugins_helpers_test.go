package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/server"
	"github.com/guichet/guichet/core/server/servertest"
)

var (
	pluginBuild     sync.Once
	pluginBinDir    string
	pluginBuildErr  error
	firstPartyNames = []string{"anonymizer", "erplookup"}
)

// pluginBinaries builds the real first-party plugins once per test process.
func pluginBinaries(tb testing.TB) string {
	tb.Helper()
	pluginBuild.Do(func() {
		if pluginBinDir, pluginBuildErr = os.MkdirTemp("", "console-plugins-"); pluginBuildErr != nil {
			return
		}
		for _, n := range firstPartyNames {
			out, err := exec.Command("go", "build", "-o", filepath.Join(pluginBinDir, n), "../../plugins/"+n).CombinedOutput()
			if err != nil {
				pluginBuildErr = &buildFailure{name: n, out: string(out)}
				return
			}
		}
	})
	if pluginBuildErr != nil {
		tb.Fatal(pluginBuildErr)
	}
	return pluginBinDir
}

type buildFailure struct{ name, out string }

func (e *buildFailure) Error() string { return "build plugin " + e.name + ":\n" + e.out }

// withPlugins installs the named first-party plugins (binary and manifest)
// in a fresh plugin folder and points the application at it; cacheTTL
// shortens the ERP cache so a stopped ERP shows stale data at once.
func withPlugins(tb testing.TB, cacheTTL time.Duration, names ...string) func(*server.Options) {
	tb.Helper()
	bin, dir := pluginBinaries(tb), tb.TempDir()
	for _, n := range names {
		dst := filepath.Join(dir, n)
		dbtest.Must(tb, os.MkdirAll(dst, 0o755))
		m, err := os.ReadFile("../../plugins/" + n + "/plugin.yaml")
		dbtest.Must(tb, err)
		dbtest.Must(tb, os.WriteFile(filepath.Join(dst, "plugin.yaml"), m, 0o644))
		b, err := os.ReadFile(filepath.Join(bin, n))
		dbtest.Must(tb, err)
		dbtest.Must(tb, os.WriteFile(filepath.Join(dst, n), b, 0o755))
	}
	return func(o *server.Options) { o.PluginDir, o.PluginCacheTTL = dir, cacheTTL }
}

// startPlugins starts the application's plugin host as cmd/guichet does,
// and stops it (killing the plugin processes) at the end of the test.
func startPlugins(tb testing.TB, h *servertest.Harness) {
	tb.Helper()
	h.App.Plugins.Start(context.Background())
	tb.Cleanup(h.App.Plugins.Stop)
}

// waitPlugin waits until plugin id reaches state want.
func waitPlugin(tb testing.TB, h *servertest.Harness, id string, want pluginhost.State) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p, err := h.App.Plugins.Get(context.Background(), id)
		dbtest.Must(tb, err)
		if p.State == want {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("plugin %s is %s (%s), want %s; last error %q", id, p.State, p.Reason, want, p.LastError)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
