package plugintest

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

const toyManifest = `
id: toy-directory
name: Toy directory
version: 0.0.1
requires: {core: ">=0.1.0", protocol: 1}
capabilities: [customer_directory]
permissions: [storage]
settings:
  - name: org_name
    type: string
    label: {fr: Organisation, en: Organization}
    required: true
`

// toy is a tiny CustomerDirectory used to test the SDK itself.
type toy struct {
	cfg sdk.Config
}

func (p *toy) Configure(_ context.Context, cfg sdk.Config) error {
	if cfg.Settings.String("org_name") == "refuse" {
		return status.Error(codes.InvalidArgument, "refused by plugin")
	}
	p.cfg = cfg
	cfg.Log.Info("configured", "revision", "n")
	return nil
}

func (p *toy) LookupCustomer(ctx context.Context, r *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	switch strings.ToLower(r.GetEmail()) {
	case "":
		return nil, status.Error(codes.InvalidArgument, "email is required")
	case "panic@example.com":
		panic("boom")
	case "store@example.com":
		if _, err := p.cfg.Host.StorageSet(ctx, &pluginv1.StorageSetRequest{Key: "k", Value: []byte("v")}); err != nil {
			return nil, err
		}
	case "known@example.com":
	default:
		return nil, status.Error(codes.NotFound, "no such customer")
	}
	return &pluginv1.LookupCustomerResponse{
		Organization: &pluginv1.Organization{Name: p.cfg.Settings.String("org_name")},
		Source:       "toy",
		FetchedAt:    timestamppb.Now(),
	}, nil
}

func TestToyConformance(t *testing.T) {
	CustomerDirectoryConformance(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}},
		map[string]string{"org_name": "ACME"}, "known@example.com", "nobody@example.com")
}

func TestStartIsFast(t *testing.T) {
	start := time.Now()
	c := Start(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}})
	c.MustConfigure(t, map[string]string{"org_name": "ACME"})
	if _, err := c.CustomerDirectory(t).LookupCustomer(context.Background(), &pluginv1.LookupCustomerRequest{Email: "known@example.com"}); err != nil {
		t.Fatal(err)
	}
	// Not a timing assertion on the code under test: the issue promises
	// "in under 2 s", and this guards against an accidental sleep.
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("start + configure + call took %s", d)
	}
}

func TestPanicBecomesError(t *testing.T) {
	c := Start(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}})
	c.MustConfigure(t, map[string]string{"org_name": "ACME"})
	d := c.CustomerDirectory(t)
	_, err := d.LookupCustomer(context.Background(), &pluginv1.LookupCustomerRequest{Email: "panic@example.com"})
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panic call = %v, want INTERNAL mentioning the panic", err)
	}
	if _, err := d.LookupCustomer(context.Background(), &pluginv1.LookupCustomerRequest{Email: "known@example.com"}); err != nil {
		t.Fatalf("plugin did not survive its panic: %v", err)
	}
}

func TestHostAPI(t *testing.T) {
	cases := []struct {
		name     string
		perms    []string
		wantCode codes.Code
	}{
		{"storage granted", []string{sdk.PermStorage}, codes.OK},
		{"storage not granted", nil, codes.PermissionDenied},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Start(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}})
			c.MustConfigure(t, map[string]string{"org_name": "ACME"}, tc.perms...)
			_, err := c.CustomerDirectory(t).LookupCustomer(context.Background(), &pluginv1.LookupCustomerRequest{Email: "store@example.com"})
			if status.Code(err) != tc.wantCode {
				t.Fatalf("storage call = %v, want %s", err, tc.wantCode)
			}
			lines := c.Host.Lines()
			if len(lines) == 0 || lines[0].Message != "configured" || lines[0].Level != pluginv1.LogLevel_LOG_LEVEL_INFO {
				t.Fatalf("host log lines = %v", lines)
			}
		})
	}
}

func TestConfigureRejectedByPlugin(t *testing.T) {
	c := Start(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}})
	c.MustConfigure(t, map[string]string{"org_name": "ACME"})
	resp := c.Configure(t, map[string]string{"org_name": "refuse"})
	if resp.GetAccepted() || resp.GetActiveRevision() != 1 || !strings.Contains(resp.GetErrors()[0].GetMessage(), "refused by plugin") {
		t.Fatalf("Configure = %v", resp)
	}
	h, err := c.Lifecycle.CheckHealth(context.Background(), &pluginv1.CheckHealthRequest{})
	if err != nil || h.GetStatus() != pluginv1.CheckHealthResponse_STATUS_OK || h.GetActiveRevision() != 1 {
		t.Fatalf("health after rejection = %v, %v", h, err)
	}
}

func TestServeConfigRefusesMissingCapability(t *testing.T) {
	cases := []struct {
		name     string
		manifest string
		impl     any
		wantErr  string
	}{
		{"capability not implemented", strings.Replace(toyManifest, "[customer_directory]", "[customer_directory, anonymizer]", 1), &toy{}, `"anonymizer"`},
		{"broken manifest", "id: x", &toy{}, "invalid embedded manifest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sdk.ServeConfig(sdk.Plugin{Manifest: []byte(tc.manifest), Impl: tc.impl}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ServeConfig = %v, want error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestHealthBeforeConfigure(t *testing.T) {
	c := Start(t, sdk.Plugin{Manifest: []byte(toyManifest), Impl: &toy{}})
	h, err := c.Lifecycle.CheckHealth(context.Background(), &pluginv1.CheckHealthRequest{})
	if err != nil || h.GetStatus() != pluginv1.CheckHealthResponse_STATUS_ERROR {
		t.Fatalf("health before configure = %v, %v", h, err)
	}
}
