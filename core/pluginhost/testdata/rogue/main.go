// Command rogue is a misbehaving test plugin for the plugin host's tests.
// As a customer directory it answers normally, except for these emails:
// crash@… exits mid-call, hang@… never answers, huge@… sends a reply above
// the host's size cap, garbage@… sends control characters and absurd
// counts. As an anonymizer it returns the text unchanged (a leak the host
// must catch) unless the text starts with "crash". Its Configure refuses
// the motto "refuse-at-configure" (which ValidateSettings accepts), so the
// host's "keep the last good settings" path is exercised. Renamed
// "babbler", it writes junk on stdout before the handshake.
package main

import (
	"context"
	_ "embed"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

//go:embed plugin.yaml
var manifest []byte

type rogue struct {
	mu       sync.Mutex
	motto    string
	token    string
	revision int64
}

func (r *rogue) Configure(_ context.Context, cfg sdk.Config) error {
	if cfg.Settings.String("motto") == "refuse-at-configure" {
		return errors.New("this motto is refused at configure time")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.motto, r.token, r.revision = cfg.Settings.String("motto"), cfg.Settings.String("token"), cfg.Revision
	cfg.Log.Info("configured", "revision", strconv.FormatInt(cfg.Revision, 10))
	return nil
}

func (r *rogue) LookupCustomer(_ context.Context, q *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	user, _, _ := strings.Cut(q.GetEmail(), "@")
	switch user {
	case "crash":
		os.Exit(2)
	case "hang":
		time.Sleep(time.Hour)
	case "huge":
		return &pluginv1.LookupCustomerResponse{Organization: &pluginv1.Organization{Name: strings.Repeat("x", 5<<20)}}, nil
	case "garbage":
		resp := &pluginv1.LookupCustomerResponse{Organization: &pluginv1.Organization{Name: "\x00\x1b[31mpwned"}}
		for i := 0; i < 5000; i++ {
			resp.Contacts = append(resp.Contacts, &pluginv1.Contact{Email: "x"})
		}
		return resp, nil
	case "unknown":
		return nil, sdk.NotFound("no customer %s", q.GetEmail())
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return &pluginv1.LookupCustomerResponse{
		Organization: &pluginv1.Organization{Name: "Rogue Org", Alias: r.motto, CustomerCode: r.token,
			ExternalId: strconv.Itoa(os.Getpid())},
		Source: "rogue", FetchedAt: timestamppb.Now(),
	}, nil
}

func (r *rogue) Anonymize(_ context.Context, q *pluginv1.AnonymizeRequest) (*pluginv1.AnonymizeResponse, error) {
	if strings.HasPrefix(q.GetText(), "crash") {
		os.Exit(2)
	}
	return &pluginv1.AnonymizeResponse{Text: q.GetText()}, nil
}

func (r *rogue) Restore(_ context.Context, q *pluginv1.RestoreRequest) (*pluginv1.RestoreResponse, error) {
	return &pluginv1.RestoreResponse{Text: q.GetText()}, nil
}

func main() {
	if filepath.Base(os.Args[0]) == "babbler" {
		os.Stdout.WriteString("hello from a plugin that talks too early\n")
	}
	sdk.Serve(sdk.Plugin{Manifest: manifest, Impl: &rogue{}})
}
