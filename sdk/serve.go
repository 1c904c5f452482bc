package sdk

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Plugin is what a plugin's main hands to Serve.
type Plugin struct {
	// Manifest is the plugin.yaml, embedded with //go:embed so the binary
	// and its manifest cannot drift apart.
	Manifest []byte
	// Impl implements every capability interface the manifest lists, and
	// optionally Configurer, SettingsChecker and HealthChecker.
	Impl any
}

// Serve runs the plugin until the host stops it or dies, then exits the
// process. It never returns. A plugin's main is:
//
//	//go:embed plugin.yaml
//	var manifest []byte
//
//	func main() { sdk.Serve(sdk.Plugin{Manifest: manifest, Impl: &myPlugin{}}) }
//
// Serve guards stdout (go-plugin's handshake line owns it; stray writes go
// to stderr instead), turns handler panics into gRPC errors, sends logs to
// the host, and exits when the host process disappears.
func Serve(p Plugin) {
	logger := hclog.New(&hclog.LoggerOptions{
		Name: "plugin", Output: os.Stderr, JSONFormat: true, Level: hclog.Debug,
	})
	if err := guardStdout(); err != nil {
		logger.Warn("stdout guard unavailable", "error", err)
	}
	cfg, err := ServeConfig(p, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	go watchParent(os.Getppid(), time.Second, func() {
		logger.Error("host process is gone, exiting")
		os.Exit(3)
	})
	plugin.Serve(cfg)
	os.Exit(0)
}

// ServeConfig builds the go-plugin configuration Serve uses. plugintest uses
// it too, in go-plugin's test mode, so tests run the same server code.
func ServeConfig(p Plugin, logger hclog.Logger) (*plugin.ServeConfig, error) {
	m, err := ParseManifest(p.Manifest)
	if err != nil {
		return nil, fmt.Errorf("guichet plugin: invalid embedded manifest: %w", err)
	}
	var missing []error
	for _, c := range m.Capabilities {
		if !capabilityOf[c](p.Impl) {
			missing = append(missing, fmt.Errorf("manifest lists capability %q but %T does not implement it", c, p.Impl))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("guichet plugin: %w", errors.Join(missing...))
	}
	lc := &lifecycle{raw: p.Manifest, manifest: m, impl: p.Impl, log: NewLogger(logger)}
	return &plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         serverPluginSet(m, p.Impl, lc),
		Logger:          logger,
		GRPCServer: func(opts []grpc.ServerOption) *grpc.Server {
			opts = append(opts,
				grpc.ChainUnaryInterceptor(recoverPanics(logger)),
				grpc.MaxRecvMsgSize(DefaultMaxReplyBytes),
			)
			return grpc.NewServer(opts...)
		},
	}, nil
}

// recoverPanics turns a panic in a handler into an INTERNAL error for that
// call, so one bad input does not kill the plugin process.
func recoverPanics(logger hclog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.Error("panic in plugin handler", "method", info.FullMethod, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				resp, err = nil, status.Errorf(codes.Internal, "plugin panic in %s: %v", info.FullMethod, r)
			}
		}()
		return next(ctx, req)
	}
}

// watchParent calls gone when the parent process changes (it died and the
// plugin was re-parented), polling every interval. This is what makes a
// plugin exit even when the host was SIGKILLed and could not stop it.
func watchParent(ppid int, interval time.Duration, gone func()) {
	for {
		time.Sleep(interval)
		if os.Getppid() != ppid {
			gone()
			return
		}
	}
}
