package sdk

import (
	"context"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Handshake is the go-plugin handshake shared by the host and every plugin.
// The cookie only tells a plugin binary it was started by a Guichet host; it
// is not a security measure (AutoMTLS and the binary checksum are).
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "GUICHET_PLUGIN",
	MagicCookieValue: "guichet-plugin-protocol-7c1e5f0a",
}

// Dispense names: the host calls rpcClient.Dispense with these.
const (
	// NameLifecycle dispenses a *LifecycleClient.
	NameLifecycle = "lifecycle"
)

// DefaultMaxReplyBytes caps the size of one reply a host accepts from a
// plugin; gRPC fails the call when a reply is larger.
const DefaultMaxReplyBytes = 4 << 20

// PluginMap is the go-plugin plugin set the host passes in its
// ClientConfig. Dispense(NameLifecycle) returns a *LifecycleClient and
// Dispense(CapAnonymizer) an Anonymizer, and so on for each capability.
func PluginMap() plugin.PluginSet {
	return plugin.PluginSet{
		NameLifecycle: &lifecyclePlugin{},
		CapAnonymizer: capPlugin[Anonymizer]{client: func(c *grpc.ClientConn) any { return &AnonymizerClient{c: pluginv1.NewAnonymizerClient(c)} }},
		CapCustomerDirectory: capPlugin[CustomerDirectory]{client: func(c *grpc.ClientConn) any {
			return &CustomerDirectoryClient{c: pluginv1.NewCustomerDirectoryClient(c)}
		}},
		CapKnowledgeSearch: capPlugin[KnowledgeSearch]{client: func(c *grpc.ClientConn) any { return &KnowledgeSearchClient{c: pluginv1.NewKnowledgeSearchClient(c)} }},
		CapAssignment:      capPlugin[Assignment]{client: func(c *grpc.ClientConn) any { return &AssignmentClient{c: pluginv1.NewAssignmentClient(c)} }},
		CapPages:           capPlugin[Pages]{client: func(c *grpc.ClientConn) any { return &PagesClient{c: pluginv1.NewPagesClient(c)} }},
		CapEventSink:       capPlugin[EventSink]{client: func(c *grpc.ClientConn) any { return &EventSinkClient{c: pluginv1.NewEventSinkClient(c)} }},
	}
}

// serverPluginSet is what a plugin serves: the lifecycle and the
// capabilities its manifest lists, nothing else.
func serverPluginSet(m *Manifest, impl any, lc *lifecycle) plugin.PluginSet {
	set := plugin.PluginSet{NameLifecycle: &lifecyclePlugin{srv: lc}}
	for _, c := range m.Capabilities {
		switch c {
		case CapAnonymizer:
			set[c] = capPlugin[Anonymizer]{impl: impl.(Anonymizer), register: pluginv1.RegisterAnonymizerServer}
		case CapCustomerDirectory:
			set[c] = capPlugin[CustomerDirectory]{impl: impl.(CustomerDirectory), register: pluginv1.RegisterCustomerDirectoryServer}
		case CapKnowledgeSearch:
			set[c] = capPlugin[KnowledgeSearch]{impl: impl.(KnowledgeSearch), register: pluginv1.RegisterKnowledgeSearchServer}
		case CapAssignment:
			set[c] = capPlugin[Assignment]{impl: impl.(Assignment), register: pluginv1.RegisterAssignmentServer}
		case CapPages:
			set[c] = capPlugin[Pages]{impl: impl.(Pages), register: pluginv1.RegisterPagesServer}
		case CapEventSink:
			set[c] = capPlugin[EventSink]{impl: impl.(EventSink), register: pluginv1.RegisterEventSinkServer}
		}
	}
	return set
}

// ClientConfig returns the go-plugin client configuration a host uses to
// start the plugin binary cmd: gRPC only, AutoMTLS, no host environment
// passed through (set cmd.Env explicitly), the binary's SHA-256 checked
// against checksum when it is not nil, replies capped at maxReply bytes
// (DefaultMaxReplyBytes when 0).
func ClientConfig(cmd *exec.Cmd, checksum []byte, maxReply int, logger hclog.Logger) *plugin.ClientConfig {
	if maxReply <= 0 {
		maxReply = DefaultMaxReplyBytes
	}
	cfg := &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          PluginMap(),
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		StartTimeout:     10 * time.Second,
		Logger:           logger,
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxReply)),
		},
	}
	if checksum != nil {
		cfg.SecureConfig = &plugin.SecureConfig{Checksum: checksum, Hash: newSHA256()}
	}
	return cfg
}

// lifecyclePlugin carries the Lifecycle service over go-plugin.
type lifecyclePlugin struct {
	plugin.NetRPCUnsupportedPlugin
	srv *lifecycle
}

func (p *lifecyclePlugin) GRPCServer(b *plugin.GRPCBroker, s *grpc.Server) error {
	p.srv.broker = b
	pluginv1.RegisterLifecycleServer(s, p.srv)
	return nil
}

func (p *lifecyclePlugin) GRPCClient(_ context.Context, b *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &LifecycleClient{c: pluginv1.NewLifecycleClient(c), broker: b}, nil
}

// capPlugin carries one capability service over go-plugin. On the plugin
// side impl and register are set; on the host side client is.
type capPlugin[S any] struct {
	plugin.NetRPCUnsupportedPlugin
	impl     S
	register func(grpc.ServiceRegistrar, S)
	client   func(*grpc.ClientConn) any
}

func (p capPlugin[S]) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	p.register(s, p.impl)
	return nil
}

func (p capPlugin[S]) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return p.client(c), nil
}
