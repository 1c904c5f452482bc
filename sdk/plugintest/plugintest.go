// Package plugintest runs a Guichet plugin inside a Go test, over the real
// go-plugin gRPC wire code (the same server Serve builds, in go-plugin's
// test mode), with a fake host that records log lines, and offers one
// conformance test per capability.
//
// It owns test helpers only. It imports sdk and go-plugin, never core/.
package plugintest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Conn is a plugin started in-process for one test. It is stopped by the
// test's cleanup.
type Conn struct {
	// Lifecycle is the host-side client of the plugin's Lifecycle service.
	Lifecycle *sdk.LifecycleClient
	// Host is the fake host the plugin talks back to after Configure.
	Host *FakeHost

	rpc      plugin.ClientProtocol
	revision int64
}

// Start serves p in-process and connects to it as the host would. It fails
// the test if the plugin does not come up within 2 seconds.
func Start(t testing.TB, p sdk.Plugin) *Conn {
	t.Helper()
	// go-plugin logs expected noise at shutdown; PLUGINTEST_LOG=debug (or
	// info, warn, error) shows the plugin and transport logs when debugging.
	level := hclog.LevelFromString(os.Getenv("PLUGINTEST_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Off
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "plugintest", Output: os.Stderr, Level: level})
	cfg, err := sdk.ServeConfig(p, logger)
	if err != nil {
		t.Fatalf("plugintest: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	cfg.Test = &plugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach, CloseCh: closed}
	go plugin.Serve(cfg)

	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-time.After(2 * time.Second):
		cancel()
		t.Fatal("plugintest: plugin did not start within 2s")
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		Plugins:          sdk.PluginMap(),
		Reattach:         rc,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           logger,
	})
	t.Cleanup(func() {
		client.Kill()
		cancel()
		<-closed
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("plugintest: connect: %v", err)
	}
	raw, err := rpc.Dispense(sdk.NameLifecycle)
	if err != nil {
		t.Fatalf("plugintest: dispense lifecycle: %v", err)
	}
	return &Conn{Lifecycle: raw.(*sdk.LifecycleClient), Host: NewFakeHost(), rpc: rpc}
}

// Configure sends settings with the next revision number, offering the
// fake host's HostAPI and granting perms.
func (c *Conn) Configure(t testing.TB, settings map[string]string, perms ...string) *pluginv1.ConfigureResponse {
	t.Helper()
	c.revision++
	c.Host.grant(perms)
	resp, err := c.Lifecycle.Configure(context.Background(), &pluginv1.ConfigureRequest{
		Revision:           c.revision,
		Settings:           settings,
		HostApiBrokerId:    c.Lifecycle.ServeHostAPI(c.Host),
		GrantedPermissions: perms,
	})
	if err != nil {
		t.Fatalf("plugintest: Configure: %v", err)
	}
	return resp
}

// MustConfigure is Configure that fails the test when the revision is
// rejected.
func (c *Conn) MustConfigure(t testing.TB, settings map[string]string, perms ...string) {
	t.Helper()
	if resp := c.Configure(t, settings, perms...); !resp.GetAccepted() {
		t.Fatalf("plugintest: settings rejected: %v", sdk.FromProtoErrors(resp.GetErrors()))
	}
}

func (c *Conn) dispense(t testing.TB, name string) any {
	t.Helper()
	raw, err := c.rpc.Dispense(name)
	if err != nil {
		t.Fatalf("plugintest: dispense %s: %v", name, err)
	}
	return raw
}

// Anonymizer returns the host-side client of the plugin's Anonymizer.
func (c *Conn) Anonymizer(t testing.TB) sdk.Anonymizer {
	return c.dispense(t, sdk.CapAnonymizer).(sdk.Anonymizer)
}

// CustomerDirectory returns the host-side client of the plugin's
// CustomerDirectory.
func (c *Conn) CustomerDirectory(t testing.TB) sdk.CustomerDirectory {
	return c.dispense(t, sdk.CapCustomerDirectory).(sdk.CustomerDirectory)
}

// FakeHost is an in-memory HostAPI: it records log lines and stores values,
// enforcing the "storage" permission like the real host.
type FakeHost struct {
	mu      sync.Mutex
	lines   []LogLine
	store   map[string][]byte
	granted map[string]bool
}

var _ sdk.HostAPI = (*FakeHost)(nil)

// LogLine is one line a plugin logged through the HostAPI.
type LogLine struct {
	// Level is the severity.
	Level pluginv1.LogLevel
	// Message is the text.
	Message string
	// Fields are the structured key/values.
	Fields map[string]string
}

// NewFakeHost returns an empty fake host.
func NewFakeHost() *FakeHost {
	return &FakeHost{store: map[string][]byte{}, granted: map[string]bool{}}
}

func (h *FakeHost) grant(perms []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.granted = map[string]bool{}
	for _, p := range perms {
		h.granted[p] = true
	}
}

// Lines returns a copy of the recorded log lines.
func (h *FakeHost) Lines() []LogLine {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]LogLine(nil), h.lines...)
}

// Log records a line.
func (h *FakeHost) Log(_ context.Context, r *pluginv1.LogRequest) (*pluginv1.LogResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, LogLine{Level: r.GetLevel(), Message: r.GetMessage(), Fields: r.GetFields()})
	return &pluginv1.LogResponse{}, nil
}

// StorageGet reads a stored value; needs the storage permission.
func (h *FakeHost) StorageGet(_ context.Context, r *pluginv1.StorageGetRequest) (*pluginv1.StorageGetResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.granted[sdk.PermStorage] {
		return nil, status.Error(codes.PermissionDenied, "storage permission not granted")
	}
	v, ok := h.store[r.GetKey()]
	return &pluginv1.StorageGetResponse{Found: ok, Value: v}, nil
}

// StorageSet stores a value; needs the storage permission.
func (h *FakeHost) StorageSet(_ context.Context, r *pluginv1.StorageSetRequest) (*pluginv1.StorageSetResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.granted[sdk.PermStorage] {
		return nil, status.Error(codes.PermissionDenied, "storage permission not granted")
	}
	if len(r.GetValue()) == 0 {
		delete(h.store, r.GetKey())
	} else {
		h.store[r.GetKey()] = r.GetValue()
	}
	return &pluginv1.StorageSetResponse{}, nil
}
