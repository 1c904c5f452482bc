package pluginhost

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/dbtest"
)

// coreEnv makes the test binary act as a core: TestMain runs actAsCore
// instead of the tests.
const coreEnv = "PLUGINHOST_ACT_AS_CORE"

func TestMain(m *testing.M) {
	if dir := os.Getenv(coreEnv); dir != "" {
		actAsCore(dir)
		return
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// actAsCore opens a database and a host on dir, runs the rogue plugin,
// prints the plugin's pid, and waits to be killed.
func actAsCore(dir string) {
	ctx := context.Background()
	fail := func(err error) { fmt.Println("error:", err); os.Exit(1) }
	bdb, err := db.Open(ctx, "", dir)
	if err != nil {
		fail(err)
	}
	if _, err := db.Migrate(ctx, bdb); err != nil {
		fail(err)
	}
	h, err := New(bdb, Options{Dir: filepath.Join(dir, "plugins"), SecretKey: make([]byte, 32)})
	if err != nil {
		fail(err)
	}
	if err := h.Enable(ctx, admin, "rogue"); err != nil {
		fail(err)
	}
	h.Start(ctx)
	for range 200 {
		if info, err := h.LookupCustomer(ctx, "a@example.com"); err == nil {
			fmt.Println("plugin", info.Data.GetOrganization().GetExternalId())
			select {}
		}
		time.Sleep(50 * time.Millisecond)
	}
	fail(fmt.Errorf("the plugin never answered"))
}

func TestNoPluginSurvivesSIGKILLOfTheCore(t *testing.T) {
	dir := t.TempDir()
	bin := install(t, filepath.Join(dir, "plugins"), "rogue", "rogue")
	core := exec.Command(os.Args[0], "-test.run=^$")
	core.Env = append(os.Environ(), coreEnv+"="+dir)
	out, err := core.StdoutPipe()
	dbtest.Must(t, err)
	dbtest.Must(t, core.Start())
	t.Cleanup(func() { _ = core.Process.Kill(); _ = core.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "plugin ") {
		t.Fatalf("core said %q, %v", line, err)
	}
	if n := countProcesses(t, bin); n != 1 {
		t.Fatalf("%d plugin processes before the kill, want 1", n)
	}

	dbtest.Must(t, core.Process.Signal(syscall.SIGKILL))
	_ = core.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for countProcesses(t, bin) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d plugin processes still alive 5 s after SIGKILL of the core", countProcesses(t, bin))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// countProcesses counts live (not zombie) processes running the binary at
// path, by reading /proc.
func countProcesses(t *testing.T, path string) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc on this system")
	}
	n := 0
	for _, e := range entries {
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil || exe != path {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err == nil && !strings.Contains(string(stat), ") Z ") {
			n++
		}
	}
	return n
}
