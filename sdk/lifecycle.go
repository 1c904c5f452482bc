package sdk

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Version is the version of this SDK, reported by Describe.
const Version = "0.1.0"

// Config is an accepted settings revision, handed to Configurer.Configure.
type Config struct {
	// Revision is the settings revision being activated.
	Revision int64
	// Settings are validated against the manifest, defaults applied.
	Settings Settings
	// Log writes to the host's log for this plugin; never nil.
	Log *Logger
	// Host is the host's callback API, nil when the host offers none. Calls
	// other than Log need the matching permission.
	Host pluginv1.HostAPIClient
	// Permissions are the permissions the admin granted.
	Permissions []string
}

// Configurer is implemented by plugins that have settings. Configure is
// called with settings already validated against the manifest; returning an
// error rejects the revision and the plugin keeps its previous one.
type Configurer interface {
	Configure(ctx context.Context, cfg Config) error
}

// SettingsChecker is implemented by plugins that check settings beyond the
// schema (cross-field rules, a test connection to a remote system). It runs
// for ValidateSettings and before Configure.
type SettingsChecker interface {
	CheckSettings(ctx context.Context, s Settings) []FieldError
}

// HealthChecker is implemented by plugins that can tell whether they work
// right now. A nil error means healthy.
type HealthChecker interface {
	CheckHealth(ctx context.Context) error
}

// lifecycle serves the Lifecycle service from a plugin's manifest and
// implementation. It keeps the last accepted revision.
type lifecycle struct {
	raw      []byte
	manifest *Manifest
	impl     any
	broker   *plugin.GRPCBroker
	log      *Logger

	mu       sync.Mutex
	active   int64
	settings Settings
	hostConn io.Closer // connection to the HostAPI of the active revision
}

var _ Lifecycle = (*lifecycle)(nil)

func (l *lifecycle) Describe(context.Context, *pluginv1.DescribeRequest) (*pluginv1.DescribeResponse, error) {
	return &pluginv1.DescribeResponse{
		Manifest:        l.raw,
		Id:              l.manifest.ID,
		Version:         l.manifest.Version,
		Capabilities:    l.manifest.Capabilities,
		ProtocolVersion: ProtocolVersion,
		SdkVersion:      Version,
	}, nil
}

func (l *lifecycle) check(ctx context.Context, values map[string]string) (Settings, []FieldError) {
	s, errs := l.manifest.CheckSettings(values)
	if len(errs) > 0 {
		return nil, errs
	}
	if c, ok := l.impl.(SettingsChecker); ok {
		errs = c.CheckSettings(ctx, s)
	}
	return s, errs
}

func (l *lifecycle) ValidateSettings(ctx context.Context, req *pluginv1.ValidateSettingsRequest) (*pluginv1.ValidateSettingsResponse, error) {
	_, errs := l.check(ctx, req.GetSettings())
	return &pluginv1.ValidateSettingsResponse{Errors: toProtoErrors(errs)}, nil
}

func (l *lifecycle) Configure(ctx context.Context, req *pluginv1.ConfigureRequest) (*pluginv1.ConfigureResponse, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	reject := func(errs ...FieldError) (*pluginv1.ConfigureResponse, error) {
		return &pluginv1.ConfigureResponse{Accepted: false, ActiveRevision: l.active, Errors: toProtoErrors(errs)}, nil
	}
	if req.GetRevision() <= l.active {
		return reject(FieldError{Code: "revision", Message: fmt.Sprintf("revision %d is not newer than active revision %d", req.GetRevision(), l.active)})
	}
	s, errs := l.check(ctx, req.GetSettings())
	if len(errs) > 0 {
		return reject(errs...)
	}
	cfg := Config{Revision: req.GetRevision(), Settings: s, Log: l.log, Permissions: req.GetGrantedPermissions()}
	if id := req.GetHostApiBrokerId(); id != 0 && l.broker != nil {
		conn, err := l.broker.Dial(id)
		if err != nil {
			return nil, status.Errorf(codes.Unavailable, "dial host API: %v", err)
		}
		cfg.Host = pluginv1.NewHostAPIClient(conn)
		previous := l.log.setHost(cfg.Host)
		defer func() {
			// Keep one HostAPI connection: the new one when accepted,
			// else the previous one, which the logger goes back to.
			if l.active == req.GetRevision() {
				if l.hostConn != nil {
					_ = l.hostConn.Close()
				}
				l.hostConn = conn
			} else {
				l.log.setHost(previous)
				_ = conn.Close()
			}
		}()
	}
	if c, ok := l.impl.(Configurer); ok {
		if err := c.Configure(ctx, cfg); err != nil {
			return reject(FieldError{Code: "invalid", Message: err.Error()})
		}
	}
	l.active, l.settings = req.GetRevision(), s
	return &pluginv1.ConfigureResponse{Accepted: true, ActiveRevision: l.active}, nil
}

func (l *lifecycle) CheckHealth(ctx context.Context, _ *pluginv1.CheckHealthRequest) (*pluginv1.CheckHealthResponse, error) {
	l.mu.Lock()
	active := l.active
	l.mu.Unlock()
	resp := &pluginv1.CheckHealthResponse{Status: pluginv1.CheckHealthResponse_STATUS_OK, ActiveRevision: active}
	if active == 0 && l.needsSettings() {
		resp.Status, resp.Message = pluginv1.CheckHealthResponse_STATUS_ERROR, "not configured yet"
		return resp, nil
	}
	if h, ok := l.impl.(HealthChecker); ok {
		if err := h.CheckHealth(ctx); err != nil {
			resp.Status, resp.Message = pluginv1.CheckHealthResponse_STATUS_ERROR, err.Error()
		}
	}
	return resp, nil
}

// needsSettings reports whether some required field has no default, i.e.
// the plugin cannot work before a Configure.
func (l *lifecycle) needsSettings() bool {
	for _, f := range l.manifest.Settings {
		if f.Required && f.Default == "" {
			return true
		}
	}
	return false
}

func toProtoErrors(errs []FieldError) []*pluginv1.FieldError {
	out := make([]*pluginv1.FieldError, len(errs))
	for i, e := range errs {
		out[i] = &pluginv1.FieldError{Field: e.Field, Code: e.Code, Message: e.Message}
	}
	return out
}

// FromProtoErrors converts wire field errors to Go ones, for hosts and tests.
func FromProtoErrors(errs []*pluginv1.FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		out[i] = FieldError{Field: e.GetField(), Code: e.GetCode(), Message: e.GetMessage()}
	}
	return out
}

// InvalidArgument returns a gRPC INVALID_ARGUMENT error: the request was
// wrong and retrying it will not help.
func InvalidArgument(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, format, args...)
}

// NotFound returns a gRPC NOT_FOUND error: what was asked for does not
// exist (never answer "not found" with an empty success).
func NotFound(format string, args ...any) error {
	return status.Errorf(codes.NotFound, format, args...)
}

// Unavailable returns a gRPC UNAVAILABLE error: a remote system the plugin
// depends on failed; the host may fall back or retry later.
func Unavailable(format string, args ...any) error {
	return status.Errorf(codes.Unavailable, format, args...)
}
