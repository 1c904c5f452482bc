package plugintest

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"

	"github.com/guichet/guichet/sdk"
)

// Build compiles the plugin package in dir (a path such as "." or
// "../anonymizer") into the test's temporary directory and returns the
// binary's path.
func Build(t testing.TB, dir string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(mustAbs(t, dir)))
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("plugintest: go build %s: %v\n%s", dir, err, b)
	}
	return out
}

func mustAbs(t testing.TB, dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// BinaryConn is a real plugin process started the way the host starts
// plugins (sdk.ClientConfig: gRPC only, AutoMTLS, checksum, no host
// environment).
type BinaryConn struct {
	*Conn
	// Client is the go-plugin client; Kill stops the process.
	Client *plugin.Client
	stderr *syncBuffer
}

// Stderr returns what the plugin wrote to its stderr so far.
func (b *BinaryConn) Stderr() string { return b.stderr.String() }

// StartBinary starts the plugin binary at path, checking its SHA-256, and
// connects to it. The process is killed by the test's cleanup.
func StartBinary(t testing.TB, path string) *BinaryConn {
	t.Helper()
	sum := fileSHA256(t, path)
	stderr := &syncBuffer{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "host", Output: io.Discard, Level: hclog.Off})
	cfg := sdk.ClientConfig(exec.Command(path), sum, 0, logger)
	cfg.Stderr = stderr
	client := newClient(cfg)
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("plugintest: start %s: %v\nstderr: %s", path, err, stderr.String())
	}
	raw, err := rpc.Dispense(sdk.NameLifecycle)
	if err != nil {
		t.Fatalf("plugintest: dispense lifecycle: %v", err)
	}
	return &BinaryConn{Conn: &Conn{Lifecycle: raw.(*sdk.LifecycleClient), Host: NewFakeHost(), rpc: rpc}, Client: client, stderr: stderr}
}

func fileSHA256(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	return h.Sum(nil)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newClient(cfg *plugin.ClientConfig) *plugin.Client {
	if cfg.Logger == nil {
		cfg.Logger = hclog.New(&hclog.LoggerOptions{Output: io.Discard, Level: hclog.Off})
	}
	return plugin.NewClient(cfg)
}
