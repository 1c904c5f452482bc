package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/guichet/guichet/sdk"
	"github.com/guichet/guichet/sdk/netguard"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// maxBody caps one ERP response.
const maxBody = 2 << 20

// connector reads customer data from one kind of ERP.
type connector interface {
	lookup(ctx context.Context, email string) (*pluginv1.LookupCustomerResponse, error)
	ping(ctx context.Context) error
}

// erpLookup implements CustomerDirectory over the configured connector.
type erpLookup struct {
	mu   sync.RWMutex
	conn connector
}

var (
	_ sdk.CustomerDirectory = (*erpLookup)(nil)
	_ sdk.Configurer        = (*erpLookup)(nil)
	_ sdk.SettingsChecker   = (*erpLookup)(nil)
	_ sdk.HealthChecker     = (*erpLookup)(nil)
)

// CheckSettings checks what the schema cannot: the URL against the SSRF
// guard with the allowlist, the allowlist itself, and the generic
// connector's URL template and mapping. It does not contact the ERP (a
// down ERP must not block saving settings); CheckHealth does.
func (p *erpLookup) CheckSettings(_ context.Context, s sdk.Settings) []sdk.FieldError {
	_, errs := build(s)
	return errs
}

// Configure builds the connector for the accepted settings.
func (p *erpLookup) Configure(_ context.Context, cfg sdk.Config) error {
	c, errs := build(cfg.Settings)
	if len(errs) > 0 {
		return errs[0]
	}
	p.mu.Lock()
	p.conn = c
	p.mu.Unlock()
	cfg.Log.Info("erplookup configured", "connector", cfg.Settings.String("connector"))
	return nil
}

func build(s sdk.Settings) (connector, []sdk.FieldError) {
	var errs []sdk.FieldError
	allow, err := netguard.ParseAllowlist(s.String("allow_cidrs"))
	if err != nil {
		errs = append(errs, sdk.FieldError{Field: "allow_cidrs", Code: "invalid", Message: err.Error()})
	}
	policy := netguard.Policy{Allow: allow}
	base := s.String("base_url")
	if err := policy.CheckURL(strings.ReplaceAll(base, "{email}", "x")); err != nil {
		errs = append(errs, sdk.FieldError{Field: "base_url", Code: "url", Message: err.Error() + " (add its network to allow_cidrs if it is your local ERP)"})
	}
	h := &httpJSON{client: policy.NewClient(), key: s.String("api_key")}
	warranty := int(s.Int("warranty_months"))
	switch s.String("connector") {
	case "generic_json":
		h.header = s.String("auth_header")
		m, err := parseMapping(s.String("field_mapping"))
		if err != nil {
			errs = append(errs, sdk.FieldError{Field: "field_mapping", Code: "invalid", Message: err.Error()})
		}
		if !strings.Contains(base, "{email}") {
			errs = append(errs, sdk.FieldError{Field: "base_url", Code: "invalid", Message: "the generic connector's URL must contain {email}"})
		}
		return &generic{http: h, urlTemplate: base, mapping: m, warrantyMonths: warranty}, errs
	default:
		h.header = "DOLAPIKEY"
		return &dolibarr{http: h, base: strings.TrimRight(base, "/"), warrantyMonths: warranty}, errs
	}
}

func (p *erpLookup) connector() (connector, error) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.conn == nil {
		return nil, sdk.Unavailable("erplookup is not configured")
	}
	return p.conn, nil
}

// emailRe is deliberately strict: the address ends up inside a Dolibarr
// sqlfilters expression, so quotes, parentheses and spaces never pass.
var emailRe = regexp.MustCompile(`^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+$`)

// LookupCustomer finds the customer owning an email address.
func (p *erpLookup) LookupCustomer(ctx context.Context, r *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	email := strings.ToLower(strings.TrimSpace(r.GetEmail()))
	if email == "" || !emailRe.MatchString(email) {
		return nil, sdk.InvalidArgument("not a plain email address")
	}
	c, err := p.connector()
	if err != nil {
		return nil, err
	}
	resp, err := c.lookup(ctx, email)
	if err != nil {
		return nil, err
	}
	resp.FetchedAt = timestamppbNow()
	return resp, nil
}

// CheckHealth asks the ERP whether it answers and accepts the key.
func (p *erpLookup) CheckHealth(ctx context.Context) error {
	c, err := p.connector()
	if err != nil {
		return err
	}
	return c.ping(ctx)
}

// errNotFound is what connectors return when the ERP has no match.
var errNotFound = errors.New("no match in the ERP")

// httpJSON performs guarded, capped GET requests that answer JSON.
type httpJSON struct {
	client *http.Client
	header string
	key    string
}

// get fetches u into v. A 404 is errNotFound; 401 and 403 say the key was
// refused; other failures are UNAVAILABLE, the ERP's body never echoed.
func (h *httpJSON) get(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return sdk.Unavailable("bad ERP URL")
	}
	req.Header.Set("Accept", "application/json")
	if h.key != "" && h.header != "" {
		req.Header.Set(h.header, h.key)
	}
	status, _, body, err := netguard.Do(ctx, h.client, req, maxBody)
	switch {
	case errors.Is(err, netguard.ErrBlocked):
		return sdk.Unavailable("ERP address refused by the SSRF guard: %v", err)
	case errors.Is(err, netguard.ErrBodyTooLarge):
		return sdk.Unavailable("ERP answer larger than %d bytes", maxBody)
	case err != nil:
		return sdk.Unavailable("ERP unreachable: %v", redactURL(err))
	case status == http.StatusNotFound:
		return errNotFound
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return sdk.Unavailable("ERP refused the API key (HTTP %d)", status)
	case status < 200 || status > 299:
		return sdk.Unavailable("ERP answered HTTP %d", status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return sdk.Unavailable("ERP answer is not the expected JSON: %v", err)
	}
	return nil
}

// redactURL drops the query string from a url.Error, which may carry the
// customer's email.
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			return fmt.Errorf("%s %s: %w", ue.Op, u.Redacted(), ue.Err)
		}
	}
	return err
}

func addMonths(t time.Time, months int) time.Time { return t.AddDate(0, months, 0) }
