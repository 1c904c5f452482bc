package pluginhost

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

func TestSettingsAreSavedWithSecretsEncrypted(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		dir := t.TempDir()
		install(t, dir, "rogue", "rogue")
		h := mustHost(t, bdb, dir, fast())
		ctx := context.Background()
		res, err := h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "first", "token": "s3cret-value"}})
		dbtest.Must(t, err)
		if res.Revision != 1 || res.Applied {
			t.Errorf("save while stopped = %+v, want revision 1 not applied", res)
		}
		var raw string
		dbtest.Must(t, bdb.NewRaw("SELECT plain || secrets FROM plugin_settings WHERE plugin_id = 'rogue'").Scan(ctx, &raw))
		if strings.Contains(raw, "s3cret-value") {
			t.Fatalf("secret stored in clear: %s", raw)
		}
		// An empty secret keeps the stored one; the form never shows it.
		_, err = h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "second", "token": ""}})
		dbtest.Must(t, err)
		form, err := h.SettingsForm(ctx, "rogue")
		dbtest.Must(t, err)
		got := map[string]FormField{}
		for _, f := range form.Fields {
			got[f.Name] = f
		}
		if form.Revision != 2 || got["motto"].Value != "second" || !got["token"].SecretSet || got["token"].Value != "" {
			t.Errorf("form = %+v", form)
		}
		values, err := h.values("rogue", mustLatest(t, bdb))
		dbtest.Must(t, err)
		if values["token"] != "s3cret-value" {
			t.Errorf("kept secret = %q", values["token"])
		}
		_, err = h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "third"}, ClearSecrets: []string{"token"}})
		dbtest.Must(t, err)
		if form, _ = h.SettingsForm(ctx, "rogue"); form.Fields[1].SecretSet {
			t.Errorf("secret still set after clearing")
		}
		var n int
		dbtest.Must(t, bdb.NewRaw("SELECT COUNT(*) FROM audit_log WHERE action = 'plugin.settings.save' AND detail NOT LIKE '%s3cret%'").Scan(ctx, &n))
		if n != 3 {
			t.Errorf("audited saves without the secret = %d, want 3", n)
		}
	})
}

func mustLatest(tb testing.TB, bdb *bun.DB) *revision {
	tb.Helper()
	r, err := latestSaved(context.Background(), bdb, "rogue")
	dbtest.Must(tb, err)
	return r
}

func TestInvalidSettingsNameTheirFields(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "erplookup", "erplookup")
	h := mustHost(t, dbtest.Open(t, "sqlite"), dir, fast())
	cases := []struct {
		name   string
		values map[string]string
		field  string
	}{
		{"required missing", map[string]string{"api_key": "k"}, "base_url"},
		{"not a url", map[string]string{"base_url": "ftp://x", "api_key": "k"}, "base_url"},
		{"unknown field", map[string]string{"base_url": "https://erp.example.com", "api_key": "k", "nope": "1"}, "nope"},
		{"integer above max", map[string]string{"base_url": "https://erp.example.com", "api_key": "k", "warranty_months": "999"}, "warranty_months"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.SaveSettings(context.Background(), admin, "erplookup", SettingsInput{Values: tc.values})
			e := errs.As(err)
			if e == nil || e.Kind != errs.Invalid || e.Fields[tc.field] == "" {
				t.Fatalf("err = %v, want Invalid naming %s", err, tc.field)
			}
			res, err := h.TestSettings(context.Background(), admin, "erplookup", SettingsInput{Values: tc.values})
			dbtest.Must(t, err)
			if len(res.Errors) == 0 || res.CheckedByPlugin {
				t.Errorf("test settings = %+v", res)
			}
		})
	}
}

func TestRejectedConfigurationKeepsTheLastGoodOne(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		dir := t.TempDir()
		install(t, dir, "rogue", "rogue")
		h := started(t, bdb, dir, fast(), "rogue")
		ctx := context.Background()
		res, err := h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "first", "token": "tok-1"}})
		dbtest.Must(t, err)
		if !res.Applied {
			t.Fatalf("save on a running plugin not applied: %+v", res)
		}
		assertMotto(t, h, "first", "tok-1")

		tr, err := h.TestSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "refuse-at-configure"}})
		dbtest.Must(t, err)
		if !tr.CheckedByPlugin || len(tr.Errors) != 0 {
			t.Fatalf("test settings = %+v, want checked by the plugin and valid", tr)
		}
		_, err = h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "refuse-at-configure"}})
		if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Fields["_"] == "" {
			t.Fatalf("rejected configure: err = %v, want Invalid", err)
		}
		assertMotto(t, h, "first", "tok-1")

		// Saved while stopped, rejected at the next start: the plugin comes
		// up on the last good revision and the bad one is marked rejected.
		dbtest.Must(t, h.Disable(ctx, admin, "rogue"))
		_, err = h.SaveSettings(ctx, admin, "rogue", SettingsInput{Values: map[string]string{"motto": "refuse-at-configure"}})
		dbtest.Must(t, err)
		dbtest.Must(t, h.Enable(ctx, admin, "rogue"))
		p := waitState(t, h, "rogue", StateRunning)
		assertMotto(t, h, "first", "tok-1")
		if p.ActiveRevision != 1 {
			t.Errorf("active revision %d, want 1", p.ActiveRevision)
		}
		var status string
		dbtest.Must(t, bdb.NewRaw("SELECT status FROM plugin_settings WHERE plugin_id = 'rogue' AND revision = 2").Scan(ctx, &status))
		if status != revRejected {
			t.Errorf("revision 2 status %q", status)
		}
		var logged bool
		for _, l := range p.Logs {
			logged = logged || strings.Contains(l.Message, "settings revision 2 rejected")
		}
		if !logged {
			t.Errorf("no log line about the rejected revision: %v", p.Logs)
		}
	})
}

// assertMotto checks the settings the running plugin uses: it echoes its
// motto and its decrypted token in the lookup reply.
func assertMotto(t *testing.T, h *Host, motto, token string) {
	t.Helper()
	h.opt.CacheTTL = 1 // always ask the plugin
	info, err := h.LookupCustomer(context.Background(), "a@example.com")
	dbtest.Must(t, err)
	if o := info.Data.GetOrganization(); o.GetAlias() != motto || o.GetCustomerCode() != token {
		t.Errorf("plugin runs with motto %q token %q, want %q %q", o.GetAlias(), o.GetCustomerCode(), motto, token)
	}
}
