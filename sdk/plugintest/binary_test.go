package plugintest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// TestNoisyBinary runs a real plugin process that writes to stdout in every
// way it can and panics on demand: the protocol must survive, the writes
// must reach stderr (the host's log), and a panic must be one failed call.
func TestNoisyBinary(t *testing.T) {
	bin := Build(t, "testdata/noisy")
	c := StartBinary(t, bin)
	dir := c.dispense(t, sdk.CapCustomerDirectory).(sdk.CustomerDirectory)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		r, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "a@example.com"})
		if err != nil || r.GetOrganization().GetName() != "Noisy Inc" {
			t.Fatalf("call %d = %v, %v", i, r, err)
		}
	}
	if _, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "panic@example.com"}); status.Code(err) != codes.Internal {
		t.Fatalf("panic call = %v, want INTERNAL", err)
	}
	if _, err := dir.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: "a@example.com"}); err != nil {
		t.Fatalf("plugin died after a panic: %v", err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(c.Stderr(), "noisy-raw: handler output") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"noisy-raw: handler output", "chatter during the handshake"} {
		if !strings.Contains(c.Stderr(), want) {
			t.Errorf("stderr lacks %q; stdout writes were not redirected", want)
		}
	}
}

// TestChangedBinaryRefused checks the host-side checksum: a binary that
// changed after the admin enabled it does not start.
func TestChangedBinaryRefused(t *testing.T) {
	bin := Build(t, "testdata/noisy")
	sum := fileSHA256(t, bin)
	f, err := os.OpenFile(bin, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("tampered"))
	f.Close()
	cfg := sdk.ClientConfig(exec.Command(bin), sum, 0, nil)
	client := newClient(cfg)
	defer client.Kill()
	if _, err := client.Client(); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("tampered binary started: %v", err)
	}
}

// TestPluginExitsWhenHostDies starts the plugin under an intermediate
// process standing for the core, SIGKILLs that process, and checks the
// plugin process goes away on its own.
func TestPluginExitsWhenHostDies(t *testing.T) {
	bin := Build(t, "testdata/noisy")
	script := fmt.Sprintf("%s=%s %s & echo $!; sleep 60", sdk.Handshake.MagicCookieKey, sdk.Handshake.MagicCookieValue, bin)
	host := exec.Command("sh", "-c", script)
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil {
		t.Fatalf("read plugin pid: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // let the plugin reach Serve
	_ = host.Process.Kill()
	_ = host.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("plugin %d still running 5s after its host died", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// alive reports whether pid runs (a zombie waiting for its new parent to
// reap it counts as gone).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	fields := strings.Fields(string(b))
	return len(fields) > 2 && fields[2] != "Z"
}
