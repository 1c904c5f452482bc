package console_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/server/servertest"
)

// dolibarrKey is the API key the fake Dolibarr accepts; it is also the
// secret the tests check no page ever shows.
const dolibarrKey = "dolikey-4f8a1c"

// fakeDolibarr answers, under /api/index.php, the requests erplookup makes
// for marie.leroy@client-exemple.fr with the recorded Dolibarr responses of
// the plugin's test data; down makes it answer 503 like an ERP in trouble.
func fakeDolibarr(t *testing.T) (*httptest.Server, *atomic.Bool) {
	t.Helper()
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
		w.Header().Set("Content-Type", "application/json")
		switch {
		case down.Load():
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		case r.Header.Get("DOLAPIKEY") != dolibarrKey:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"code":401,"message":"Access denied"}}`))
			return
		case !ok:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"error":{"code":404,"message":"Not found"}}`))
			return
		}
		b, err := os.ReadFile("../../plugins/erplookup/testdata/dolibarr/" + file)
		if err != nil {
			t.Error(err)
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv, down
}

// neverShows adds the secret to every scenario's unwanted content: no page,
// error or redirect may ever carry it.
func neverShows(secret string, cases []scenario) []scenario {
	for i := range cases {
		cases[i].notWant = append(cases[i].notWant, secret)
	}
	return cases
}

func TestPluginAdminPages(t *testing.T) {
	opts := withPlugins(t, 0, "anonymizer", "erplookup")
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		erp, _ := fakeDolibarr(t)
		startPlugins(t, h)
		good := url.Values{"s.connector": {"dolibarr"}, "s.base_url": {erp.URL + "/api/index.php"},
			"s.api_key": {dolibarrKey}, "s.allow_cidrs": {"127.0.0.1/32"}, "s.warranty_months": {"24"}}
		with := func(changes map[string]string) url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			for k, s := range changes {
				v.Set(k, s)
			}
			return v
		}
		runScenarios(t, w, neverShows(dolibarrKey, []scenario{
			{name: "signed out: to sign-in", as: "", path: "/console/plugins", status: http.StatusSeeOther},
			{name: "signed out: no enabling", as: "", method: "POST", path: "/console/plugins/erplookup/enable", status: http.StatusUnauthorized},
			{name: "agent: no plugin list", as: "writer@example.com", path: "/console/plugins", status: http.StatusNotFound},
			{name: "agent: no plugin page", as: "writer@example.com", path: "/console/plugins/erplookup", status: http.StatusNotFound},
			{name: "agent: no enabling", as: "writer@example.com", method: "POST", path: "/console/plugins/erplookup/enable", status: http.StatusNotFound},
			{name: "agent: no settings", as: "writer@example.com", method: "POST", path: "/console/plugins/erplookup/settings", form: good, status: http.StatusNotFound},
			{name: "agent: no nav link", as: "writer@example.com", path: "/console", status: http.StatusOK, notWant: []string{`href="/console/plugins"`}},
			{name: "admin: nav link", as: "admin@example.com", path: "/console", status: http.StatusOK, want: []string{`href="/console/plugins"`}},
			{name: "admin: list with state and egress", as: "admin@example.com", path: "/console/plugins", status: http.StatusOK,
				want: []string{"ERP lookup", "Anonymizer", "0.1.0", "désactivée", "<code>customer_directory</code>", "Interroge votre ERP", "Aucune donnée ne sort de la machine."}},
			{name: "admin: generated form", as: "admin@example.com", path: "/console/plugins/erplookup", status: http.StatusOK,
				want: []string{`name="s.base_url"`, `type="url"`, `<select id="f-connector" name="s.connector">`, `<option value="dolibarr" selected>Dolibarr (API REST)</option>`,
					`type="password" autocomplete="new-password" id="f-api_key" name="s.api_key" value="" required`, `pattern="[A-Za-z0-9-]{1,64}"`,
					`type="number" step="1" id="f-warranty_months" name="s.warranty_months" value="" placeholder="24" min="0" max="120"`,
					`<textarea id="f-field_mapping"`, "Aucune valeur enregistrée.", "Tester sans enregistrer", "<code>network</code>", `action="/console/plugins/erplookup/enable"`}},
			{name: "admin: in English", as: "admin@example.com", path: "/console/plugins/erplookup", headers: map[string]string{"Accept-Language": "en"}, status: http.StatusOK,
				want: []string{"Connector", "Queries your ERP:"}},
			{name: "admin: unknown plugin", as: "admin@example.com", path: "/console/plugins/nope", status: http.StatusNotFound},
			{name: "admin: enable needs CSRF", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/enable", noCSRF: true, status: http.StatusForbidden},
			{name: "admin: enable", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/enable", status: http.StatusSeeOther,
				header: map[string]string{"Location": "/console/plugins/erplookup?done=enabled"}},
		}))
		waitPlugin(t, h, "erplookup", pluginhost.StateRunning)
		runScenarios(t, w, neverShows(dolibarrKey, []scenario{
			{name: "admin: running", as: "admin@example.com", path: "/console/plugins/erplookup?done=enabled", status: http.StatusOK,
				want: []string{"Extension activée.", "en marche", `action="/console/plugins/erplookup/disable"`}},
			{name: "schema errors inline, typed values kept", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings",
				form: with(map[string]string{"s.base_url": "pas une url", "s.warranty_months": "500"}), status: http.StatusBadRequest,
				want: []string{`<p class="ferr" id="e-base_url" role="alert">`, `<p class="ferr" id="e-warranty_months" role="alert">`,
					`value="pas une url"`, `value="500"`, `>127.0.0.1/32</textarea>`, `class="field bad"`}},
			{name: "test: plugin's own check (SSRF guard) inline", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings/test",
				form: with(map[string]string{"s.allow_cidrs": ""}), status: http.StatusOK,
				want: []string{"Test échoué", `id="e-base_url"`, "allow_cidrs"}},
			{name: "test: valid settings, nothing saved", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings/test",
				form: good, status: http.StatusOK, want: []string{"Test réussi", "version enregistrée 0"}},
			{name: "save: needs CSRF", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings", form: good, noCSRF: true, status: http.StatusForbidden},
			{name: "save", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings", form: good, status: http.StatusSeeOther,
				header: map[string]string{"Location": "/console/plugins/erplookup?done=saved"}},
			{name: "secret kept, never shown", as: "admin@example.com", path: "/console/plugins/erplookup", status: http.StatusOK,
				want: []string{"Une valeur est enregistrée ; laissez vide pour la garder.", `name="clear" value="api_key"`, "version enregistrée 1", "version active 1", "erplookup configured",
					`value="` + erp.URL + `/api/index.php"`, `id="f-api_key" name="s.api_key" value="">`}},
			{name: "save with the secret left empty keeps it", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings",
				form: with(map[string]string{"s.api_key": "", "s.warranty_months": "36"}), status: http.StatusSeeOther},
			{name: "test with the secret left empty uses the stored one", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings/test",
				form: with(map[string]string{"s.api_key": ""}), status: http.StatusOK, want: []string{"Test réussi"}},
			{name: "clearing a required secret is refused inline", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/settings",
				form: with(map[string]string{"s.api_key": "", "clear": "api_key"}), status: http.StatusBadRequest,
				want: []string{`id="e-api_key"`, "version enregistrée 2"}},
			{name: "disable", as: "admin@example.com", method: "POST", path: "/console/plugins/erplookup/disable", status: http.StatusSeeOther,
				header: map[string]string{"Location": "/console/plugins/erplookup?done=disabled"}},
			{name: "disabled, settings kept", as: "admin@example.com", path: "/console/plugins/erplookup", status: http.StatusOK,
				want: []string{"désactivée", `value="36"`, "Une valeur est enregistrée"}},
			{name: "disable unknown plugin", as: "admin@example.com", method: "POST", path: "/console/plugins/nope/disable", status: http.StatusNotFound},
		}))
	}, opts)
}

func TestPluginListEmpty(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		runScenarios(t, w, []scenario{
			{name: "empty state says where and how", as: "admin@example.com", path: "/console/plugins", status: http.StatusOK,
				want: []string{"Aucune extension n&#39;est installée.", "/plugins/&lt;id&gt;/", "GUICHET_PLUGIN_DIR", "<code>make plugins</code>"}},
		})
	})
}
