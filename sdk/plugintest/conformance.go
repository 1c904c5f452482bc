package plugintest

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// LifecycleConformance checks what every plugin must do: Describe returns
// the embedded manifest, valid settings validate, unknown keys are refused,
// revisions only move forward and a rejected revision keeps the last good
// one. settings must be a valid settings map for the plugin.
func LifecycleConformance(t *testing.T, p sdk.Plugin, settings map[string]string) {
	t.Helper()
	m, err := sdk.ParseManifest(p.Manifest)
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	c := Start(t, p)
	ctx := context.Background()

	t.Run("describe matches manifest", func(t *testing.T) {
		d, err := c.Lifecycle.Describe(ctx, &pluginv1.DescribeRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.GetManifest(), p.Manifest) || d.GetId() != m.ID || d.GetVersion() != m.Version ||
			strings.Join(d.GetCapabilities(), ",") != strings.Join(m.Capabilities, ",") || d.GetProtocolVersion() != sdk.ProtocolVersion {
			t.Fatalf("Describe = %s/%s %v proto %d, manifest says %s/%s %v", d.GetId(), d.GetVersion(), d.GetCapabilities(), d.GetProtocolVersion(), m.ID, m.Version, m.Capabilities)
		}
	})
	t.Run("valid settings validate", func(t *testing.T) {
		r, err := c.Lifecycle.ValidateSettings(ctx, &pluginv1.ValidateSettingsRequest{Settings: settings})
		if err != nil || len(r.GetErrors()) > 0 {
			t.Fatalf("ValidateSettings = %v, %v", sdk.FromProtoErrors(r.GetErrors()), err)
		}
	})
	t.Run("unknown key is refused", func(t *testing.T) {
		bad := withKey(settings, "no_such_setting", "x")
		r, err := c.Lifecycle.ValidateSettings(ctx, &pluginv1.ValidateSettingsRequest{Settings: bad})
		if err != nil || !hasFieldError(r.GetErrors(), "no_such_setting", "unknown") {
			t.Fatalf("ValidateSettings(unknown key) = %v, %v", sdk.FromProtoErrors(r.GetErrors()), err)
		}
	})
	t.Run("revisions move forward and rejection keeps the last good", func(t *testing.T) {
		first := c.Configure(t, settings)
		if !first.GetAccepted() || first.GetActiveRevision() != 1 {
			t.Fatalf("first Configure = %v", first)
		}
		c.revision = 0 // replay revision 1
		replay := c.Configure(t, settings)
		if replay.GetAccepted() || replay.GetActiveRevision() != 1 {
			t.Fatalf("replayed revision accepted: %v", replay)
		}
		bad := c.Configure(t, withKey(settings, "no_such_setting", "x"))
		if bad.GetAccepted() || bad.GetActiveRevision() != 1 || len(bad.GetErrors()) == 0 {
			t.Fatalf("bad settings: %v", bad)
		}
		h, err := c.Lifecycle.CheckHealth(ctx, &pluginv1.CheckHealthRequest{})
		if err != nil || h.GetActiveRevision() != 1 || h.GetStatus() == pluginv1.CheckHealthResponse_STATUS_UNSPECIFIED {
			t.Fatalf("CheckHealth = %v, %v", h, err)
		}
	})
}

// AnonymizerConformance checks the anonymizer contract the host relies on:
// known people and email addresses never leave, one value has one
// placeholder, spans point at the values, Restore round-trips (up to case)
// and tolerates
// case and spacing changes, unknown placeholders are reported, mask mode
// cannot be restored, previous replacements keep their placeholders.
func AnonymizerConformance(t *testing.T, p sdk.Plugin, settings map[string]string) {
	t.Helper()
	t.Run("lifecycle", func(t *testing.T) { LifecycleConformance(t, p, settings) })
	c := Start(t, p)
	c.MustConfigure(t, settings)
	a := c.Anonymizer(t)
	ctx := context.Background()
	const email = "jeanne.martin@example.org"
	text := "Bonjour, je suis Paul Durand. Écrivez à " + email + " ou à " + strings.ToUpper(email) + ", merci."
	people := []*pluginv1.KnownPerson{{Name: "Paul Durand", Emails: []string{"paul.durand@example.net"}, Role: "customer"}}

	anon, err := a.Anonymize(ctx, &pluginv1.AnonymizeRequest{Text: text, KnownPeople: people, Mode: pluginv1.AnonymizeMode_ANONYMIZE_MODE_PLACEHOLDER})
	if err != nil {
		t.Fatalf("Anonymize: %v", err)
	}
	out := anon.GetText()
	t.Run("personal data removed", func(t *testing.T) {
		for _, s := range []string{email, strings.ToUpper(email), "Paul Durand", "Durand"} {
			if strings.Contains(out, s) {
				t.Errorf("output still contains %q: %s", s, out)
			}
		}
	})
	t.Run("one placeholder per value, spans point at it", func(t *testing.T) {
		var emails int
		for _, r := range anon.GetReplacements() {
			if strings.EqualFold(r.GetOriginal(), email) {
				emails++
				if len(r.GetSpans()) != 2 || strings.Count(out, r.GetPlaceholder()) != 2 {
					t.Errorf("email replacement %v: want 2 spans and 2 occurrences in %q", r, out)
				}
			}
			for _, s := range r.GetSpans() {
				if s.GetStart() < 0 || s.GetEnd() > int32(len(text)) || s.GetStart() >= s.GetEnd() ||
					!strings.EqualFold(text[s.GetStart():s.GetEnd()], r.GetOriginal()) {
					t.Errorf("span %v of %q does not point at the value", s, r.GetOriginal())
				}
			}
		}
		if emails != 1 {
			t.Errorf("want exactly one replacement for the email, got %d in %v", emails, anon.GetReplacements())
		}
	})
	t.Run("restore round-trips, tolerant of case and spaces", func(t *testing.T) {
		back, err := a.Restore(ctx, &pluginv1.RestoreRequest{Text: out, Replacements: anon.GetReplacements()})
		// One value has one placeholder, so spellings differing only in
		// case come back in the spelling seen first.
		if err != nil || !strings.EqualFold(back.GetText(), text) {
			t.Fatalf("Restore = %q, %v; want %q", back.GetText(), err, text)
		}
		ph := anon.GetReplacements()[0].GetPlaceholder()
		mangled := "[ " + strings.ToLower(strings.Trim(ph, "[]")) + " ]"
		back, err = a.Restore(ctx, &pluginv1.RestoreRequest{Text: "see " + mangled, Replacements: anon.GetReplacements()})
		if err != nil || back.GetText() != "see "+anon.GetReplacements()[0].GetOriginal() || back.GetRestored() != 1 {
			t.Fatalf("Restore(%q) = %v, %v", mangled, back, err)
		}
	})
	t.Run("unknown placeholders reported and kept", func(t *testing.T) {
		back, err := a.Restore(ctx, &pluginv1.RestoreRequest{Text: "ask [EMAIL_99]", Replacements: anon.GetReplacements()})
		if err != nil || back.GetText() != "ask [EMAIL_99]" || len(back.GetUnknownPlaceholders()) != 1 {
			t.Fatalf("Restore(unknown) = %v, %v", back, err)
		}
	})
	t.Run("previous replacements keep their placeholder", func(t *testing.T) {
		next, err := a.Anonymize(ctx, &pluginv1.AnonymizeRequest{Text: "Relance : " + email, Previous: anon.GetReplacements(), KnownPeople: people})
		if err != nil {
			t.Fatal(err)
		}
		var want string
		for _, r := range anon.GetReplacements() {
			if r.GetOriginal() == email {
				want = r.GetPlaceholder()
			}
		}
		if !strings.Contains(next.GetText(), want) {
			t.Fatalf("second call %q does not reuse %s", next.GetText(), want)
		}
	})
	t.Run("mask mode cannot be restored", func(t *testing.T) {
		m, err := a.Anonymize(ctx, &pluginv1.AnonymizeRequest{Text: text, KnownPeople: people, Mode: pluginv1.AnonymizeMode_ANONYMIZE_MODE_MASK})
		if err != nil || strings.Contains(m.GetText(), email) || regexp.MustCompile(`\[[A-Z]+_\d+\]`).MatchString(m.GetText()) {
			t.Fatalf("mask = %q, %v", m.GetText(), err)
		}
	})
	t.Run("empty text", func(t *testing.T) {
		e, err := a.Anonymize(ctx, &pluginv1.AnonymizeRequest{})
		if err != nil || e.GetText() != "" || len(e.GetReplacements()) != 0 {
			t.Fatalf("empty = %v, %v", e, err)
		}
	})
}

// CustomerDirectoryConformance checks the customer-directory contract:
// a known address (looked up in another case) returns data with its source
// and time, an unknown address is NOT_FOUND, an empty one INVALID_ARGUMENT.
func CustomerDirectoryConformance(t *testing.T, p sdk.Plugin, settings map[string]string, knownEmail, unknownEmail string) {
	t.Helper()
	t.Run("lifecycle", func(t *testing.T) { LifecycleConformance(t, p, settings) })
	c := Start(t, p)
	c.MustConfigure(t, settings)
	d := c.CustomerDirectory(t)
	ctx := context.Background()
	t.Run("known address", func(t *testing.T) {
		r, err := d.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: strings.ToUpper(knownEmail)})
		if err != nil {
			t.Fatalf("LookupCustomer(%s): %v", knownEmail, err)
		}
		if r.GetOrganization() == nil && len(r.GetContacts()) == 0 {
			t.Fatalf("no organization and no contact: %v", r)
		}
		if r.GetSource() == "" || r.GetFetchedAt() == nil {
			t.Fatalf("source/fetched_at missing: %v", r)
		}
	})
	cases := []struct {
		name  string
		email string
		want  codes.Code
	}{
		{"unknown address", unknownEmail, codes.NotFound},
		{"empty address", "", codes.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := d.LookupCustomer(ctx, &pluginv1.LookupCustomerRequest{Email: tc.email})
			if status.Code(err) != tc.want {
				t.Fatalf("LookupCustomer(%q) = %v, want %s", tc.email, err, tc.want)
			}
		})
	}
}

func withKey(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for kk, vv := range m {
		out[kk] = vv
	}
	return out
}

func hasFieldError(errs []*pluginv1.FieldError, field, code string) bool {
	for _, e := range errs {
		if e.GetField() == field && e.GetCode() == code {
			return true
		}
	}
	return false
}
