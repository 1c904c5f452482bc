package pluginhost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

// fakeDolibarr answers the requests erplookup makes for one customer with
// the recorded Dolibarr responses of the plugin's own test data, or 503
// while down.
func fakeDolibarr(t *testing.T) (*httptest.Server, *atomic.Bool) {
	down := &atomic.Bool{}
	routes := map[string]string{
		"/contacts?limit=10&sqlfilters=%28t.email%3A%3D%3A%27marie.leroy%40client-exemple.fr%27%29": "contacts_by_email.json",
		"/thirdparties/7":                      "thirdparty_7.json",
		"/contacts?limit=50&thirdparty_ids=7":  "contacts_of_7.json",
		"/contracts?limit=50&thirdparty_ids=7": "contracts_of_7.json",
		"/status":                              "status.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/api/index.php")
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		file, ok := routes[key]
		switch {
		case down.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		case !ok:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":404,"message":"Not found"}}`))
			return
		}
		b, err := os.ReadFile("../../plugins/erplookup/testdata/dolibarr/" + file)
		dbtest.Must(t, err)
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, down
}

func TestLookupFallsBackToCachedDataWithItsAge(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		erp, down := fakeDolibarr(t)
		dir := t.TempDir()
		install(t, dir, "erplookup", "erplookup")
		opt := fast()
		opt.CacheTTL = time.Nanosecond // every lookup asks the ERP
		h := started(t, bdb, dir, opt, "erplookup")
		ctx := context.Background()
		_, err := h.SaveSettings(ctx, admin, "erplookup", SettingsInput{Values: map[string]string{
			"base_url": erp.URL + "/api/index.php", "api_key": "dolikey-4f8a1c", "allow_cidrs": "127.0.0.1/32"}})
		dbtest.Must(t, err)
		const email = "marie.leroy@client-exemple.fr"

		fresh, err := h.LookupCustomer(ctx, email)
		dbtest.Must(t, err)
		if fresh.Stale || fresh.Data.GetOrganization().GetName() != "Imprimerie Leroy & Fils" {
			t.Fatalf("fresh lookup = %+v", fresh)
		}
		time.Sleep(20 * time.Millisecond)
		down.Store(true)
		stale, err := h.LookupCustomer(ctx, strings.ToUpper(email))
		if err != nil {
			t.Fatalf("ERP down: %v, want the cached data", err)
		}
		if !stale.Stale || stale.Age < 20*time.Millisecond || stale.StaleReason == "" ||
			stale.Data.GetOrganization().GetName() != "Imprimerie Leroy & Fils" {
			t.Errorf("stale lookup = stale %v age %s reason %q", stale.Stale, stale.Age, stale.StaleReason)
		}
		if _, err := h.LookupCustomer(ctx, "never.seen@client-exemple.fr"); !errs.Is(err, errs.Unavailable) {
			t.Errorf("ERP down and nothing cached: %v, want Unavailable", err)
		}
	})
}

func TestLookupWithoutPluginAndUnknownCustomer(t *testing.T) {
	dir := t.TempDir()
	install(t, dir, "rogue", "rogue")
	bdb := dbtest.Open(t, "sqlite")
	none := mustHost(t, bdb, dir, fast())
	if _, err := none.LookupCustomer(context.Background(), "a@example.com"); !errs.Is(err, errs.Unavailable) {
		t.Errorf("no provider: %v", err)
	}
	h := started(t, bdb, dir, fast(), "rogue")
	if _, err := h.LookupCustomer(context.Background(), "unknown@example.com"); !errs.Is(err, errs.NotFound) {
		t.Errorf("unknown customer: %v, want NotFound", err)
	}
}

func TestAnonymizeFailsClosed(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	people := []Person{{Name: "Marie Leroy", Emails: []string{"marie.leroy@client-exemple.fr"}, Phones: []string{"+33 6 12 34 56 78"}}}
	text := "Bonjour, je suis Marie Leroy (marie.leroy@client-exemple.fr, 06 12 34 56 78) et mon imprimante est en panne."

	t.Run("real anonymizer", func(t *testing.T) {
		dir := t.TempDir()
		install(t, dir, "anonymizer", "anonymizer")
		h := started(t, bdb, dir, fast(), "anonymizer")
		a, err := h.Anonymize(context.Background(), text, people)
		dbtest.Must(t, err)
		if strings.Contains(a.Text, "Leroy") || strings.Contains(a.Text, "marie.leroy") || !strings.Contains(a.Text, "imprimante") {
			t.Fatalf("anonymized = %q", a.Text)
		}
		back, err := h.Restore(context.Background(), a.Text, a)
		dbtest.Must(t, err)
		if !strings.Contains(back, "marie.leroy@client-exemple.fr") {
			t.Errorf("restored = %q", back)
		}
		h.Stop()
	})

	dir := t.TempDir()
	install(t, dir, "rogue", "rogue") // returns the text unchanged, or dies on "crash"
	cases := []struct {
		name, text, want string
		people           []Person
	}{
		{"known email left in the output", "write to Marie.Leroy@client-exemple.fr", "email", people},
		{"known name left in the output", "Marie  LEROY called", "name", people},
		{"known phone left in the output", "call 0612345678", "phone", people},
		{"plugin crashes", "crash now", "anonymization is unavailable", nil},
	}
	h := started(t, bdb, dir, fast(), "rogue")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := h.Anonymize(context.Background(), tc.text, tc.people)
			if a != nil || !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Anonymize = %v, %v; want nothing and Unavailable with %q", a, err, tc.want)
			}
		})
	}
	t.Run("no anonymizer enabled", func(t *testing.T) {
		dbtest.Must(t, h.Disable(context.Background(), admin, "rogue"))
		if _, err := h.Anonymize(context.Background(), "hello", nil); !errs.Is(err, errs.Unavailable) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestLeak(t *testing.T) {
	p := []Person{{Name: "Ann Lee", Emails: []string{"ann@x.org"}, Phones: []string{"+33 6 12 34 56 78"}}}
	cases := []struct{ name, text, want string }{
		{"clean", "[PERSON_1] wrote from [EMAIL_1]", ""},
		{"email any case", "ANN@X.ORG", "email"},
		{"name across spaces", "ann\n  lee", "name"},
		{"name inside a word is not the name", "Joann Leeds", ""},
		{"phone national form", "06.12.34.56.78", "phone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := leak(tc.text, p); got != tc.want {
				t.Errorf("leak(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
