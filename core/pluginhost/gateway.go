package pluginhost

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// CustomerInfo is what the console's customer panel shows.
type CustomerInfo struct {
	// Data is the directory's answer (organization, contacts, products).
	Data *pluginv1.LookupCustomerResponse
	// Plugin is the id of the plugin that answered.
	Plugin string
	// FetchedAt is when the data was read from the directory; Age is how
	// old it is now.
	FetchedAt time.Time
	Age       time.Duration
	// Stale is true when fresh data could not be fetched and this is the
	// last cached copy; StaleReason says why, for the panel.
	Stale       bool
	StaleReason string
}

var lookupLimits = replyLimits{maxString: 4 << 10, maxItems: 500, description: "customer lookup"}

// LookupCustomer returns the directory data of the customer with this
// email. Data younger than CacheTTL comes from the cache; otherwise the
// plugin is asked, and when it (or the ERP behind it) fails, the last cached
// copy is returned with Stale set and its age. With nothing cached the
// error is Unavailable; an unknown customer is NotFound.
func (h *Host) LookupCustomer(ctx context.Context, email string) (*CustomerInfo, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, errs.E(errs.Invalid, "an email address is required")
	}
	i, err := h.provider(sdk.CapCustomerDirectory)
	if err != nil {
		return nil, err
	}
	cached, err := cacheGet(ctx, h.db, email)
	if err != nil {
		return nil, err
	}
	now, err := db.Now(ctx, h.db)
	if err != nil {
		return nil, err
	}
	if cached != nil && cached.PluginID == i.id && now.Sub(cached.FetchedAt) < h.opt.CacheTTL {
		return fromCache(cached, now, false, "")
	}
	resp, err := call(ctx, i, sdk.CapCustomerDirectory, func(ctx context.Context, svc any) (*pluginv1.LookupCustomerResponse, error) {
		r, err := svc.(sdk.CustomerDirectory).LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: email})
		if err != nil {
			return nil, err
		}
		return r, checkReply(r, lookupLimits)
	})
	switch {
	case err == nil:
		return h.storeLookup(ctx, i.id, email, resp, now)
	case errs.Is(err, errs.NotFound):
		if cached != nil {
			_ = cacheDelete(ctx, h.db, email) // the directory says this customer is gone
		}
		return nil, err
	case cached != nil && errs.Is(err, errs.Unavailable):
		return fromCache(cached, now, true, errs.As(err).Message)
	}
	return nil, err
}

func (h *Host) storeLookup(ctx context.Context, id, email string, resp *pluginv1.LookupCustomerResponse, now time.Time) (*CustomerInfo, error) {
	raw, err := protojson.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("pluginhost: encode lookup: %w", err)
	}
	if err := cachePut(ctx, h.db, &cacheRow{Email: email, PluginID: id, Data: string(raw), FetchedAt: now}); err != nil {
		h.log.Warn("cannot cache customer lookup", "error", err)
	}
	return &CustomerInfo{Data: resp, Plugin: id, FetchedAt: now}, nil
}

func fromCache(r *cacheRow, now time.Time, stale bool, why string) (*CustomerInfo, error) {
	data := &pluginv1.LookupCustomerResponse{}
	if err := protojson.Unmarshal([]byte(r.Data), data); err != nil {
		return nil, fmt.Errorf("pluginhost: decode cached lookup: %w", err)
	}
	return &CustomerInfo{Data: data, Plugin: r.PluginID, FetchedAt: r.FetchedAt, Age: now.Sub(r.FetchedAt),
		Stale: stale, StaleReason: why}, nil
}

// Person is someone whose data must not leave: the ticket's customer, the
// agents and contacts it names.
type Person struct {
	Name   string
	Emails []string
	Phones []string
}

// Anonymized is text that may leave for an external AI, and the table that
// restores the placeholders in what comes back. The table stays in the core.
type Anonymized struct {
	Text         string
	Replacements []*pluginv1.Replacement
	Plugin       string
}

// Anonymize replaces personal data in text before it leaves for an external
// AI. It fails closed: when no anonymizer is enabled, when the plugin
// fails or is late, or when a known person's name, email or phone still
// appears in its output, the error is Unavailable and nothing may be sent.
// The console's "what would leave" preview calls this too.
func (h *Host) Anonymize(ctx context.Context, text string, people []Person) (*Anonymized, error) {
	i, err := h.provider(sdk.CapAnonymizer)
	if err != nil {
		return nil, failClosed(err)
	}
	req := &pluginv1.AnonymizeRequest{Text: text}
	for _, p := range people {
		req.KnownPeople = append(req.KnownPeople, &pluginv1.KnownPerson{Name: p.Name, Emails: p.Emails, Phones: p.Phones})
	}
	lim := replyLimits{maxString: 4*len(text) + 64<<10, maxItems: 10000, allowCtrl: true, description: "anonymization"}
	resp, err := call(ctx, i, sdk.CapAnonymizer, func(ctx context.Context, svc any) (*pluginv1.AnonymizeResponse, error) {
		r, err := svc.(sdk.Anonymizer).Anonymize(ctx, req)
		if err != nil {
			return nil, err
		}
		return r, checkReply(r, lim)
	})
	if err != nil {
		return nil, failClosed(err)
	}
	if what := leak(resp.GetText(), people); what != "" {
		h.log.Warn("anonymizer output still holds personal data; nothing leaves", "plugin", i.id, "kind", what)
		return nil, errs.E(errs.Unavailable, "anonymization is incomplete (a known %s is still in the text); nothing was sent", what)
	}
	return &Anonymized{Text: resp.GetText(), Replacements: resp.GetReplacements(), Plugin: i.id}, nil
}

func failClosed(err error) error {
	e := errs.As(err)
	msg := "anonymization is unavailable; nothing was sent"
	if e != nil {
		msg = "anonymization is unavailable (" + e.Message + "); nothing was sent"
	}
	return errs.Wrap(errs.Unavailable, err, msg)
}

// Restore puts the original values back into text that came back from the
// external AI, with the table Anonymize returned.
func (h *Host) Restore(ctx context.Context, text string, a *Anonymized) (string, error) {
	i := h.lookupInstance(a.Plugin)
	if i == nil {
		return "", errs.E(errs.Unavailable, "plugin %s is not loaded", a.Plugin)
	}
	lim := replyLimits{maxString: 4*len(text) + 64<<10, maxItems: 10000, allowCtrl: true, description: "restore"}
	resp, err := call(ctx, i, sdk.CapAnonymizer, func(ctx context.Context, svc any) (*pluginv1.RestoreResponse, error) {
		r, err := svc.(sdk.Anonymizer).Restore(ctx, &pluginv1.RestoreRequest{Text: text, Replacements: a.Replacements})
		if err != nil {
			return nil, err
		}
		return r, checkReply(r, lim)
	})
	if err != nil {
		return "", err
	}
	return resp.GetText(), nil
}

// leak returns "name", "email" or "phone" when a known value of people
// appears in text. Emails and names are compared case-insensitively with
// spacing normalised; phones by their digits (at least 6).
func leak(text string, people []Person) string {
	norm := normalize(text)
	digits := digitsOf(text)
	for _, p := range people {
		for _, e := range p.Emails {
			if e = normalize(e); e != "" && strings.Contains(norm, e) {
				return "email"
			}
		}
		if n := normalize(p.Name); len([]rune(n)) >= 3 && containsWord(norm, n) {
			return "name"
		}
		for _, ph := range p.Phones {
			if d := digitsOf(ph); len(d) >= 6 && strings.Contains(digits, d[len(d)-6:]) && strings.Contains(digits, trimCountry(d)) {
				return "phone"
			}
		}
	}
	return ""
}

func normalize(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimCountry drops a leading international prefix or trunk zero, so
// +33 6 12 34 56 78 and 06 12 34 56 78 compare equal.
func trimCountry(d string) string {
	if len(d) > 9 {
		return d[len(d)-9:]
	}
	return d
}

// containsWord reports whether needle occurs in hay between non-letters.
func containsWord(hay, needle string) bool {
	for start := 0; ; {
		k := strings.Index(hay[start:], needle)
		if k < 0 {
			return false
		}
		k += start
		end := k + len(needle)
		before, after := k == 0 || !isLetter(lastRune(hay[:k])), end == len(hay) || !isLetter(firstRune(hay[end:]))
		if before && after {
			return true
		}
		start = k + 1
	}
}

func isLetter(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}
func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

// Provides reports whether an enabled plugin serves capability c in this
// process, without calling it: the console hides a panel when none does.
func (h *Host) Provides(c string) bool {
	_, err := h.provider(c)
	return err == nil
}
