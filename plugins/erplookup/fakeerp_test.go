package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

const testAPIKey = "dolikey-4f8a1c"

// fakeDolibarr answers like Dolibarr's REST API under /api/index.php, from
// the JSON files in testdata/dolibarr (shapes taken from Dolibarr's API
// classes: string ids, Unix dates, 404 JSON errors, DOLAPIKEY auth).
type fakeDolibarr struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
	down     bool
}

func newFakeDolibarr(t *testing.T) *fakeDolibarr {
	t.Helper()
	f := &fakeDolibarr{}
	routes := map[string]string{
		"/contacts?limit=10&sqlfilters=%28t.email%3A%3D%3A%27marie.leroy%40client-exemple.fr%27%29": "contacts_by_email.json",
		"/thirdparties/7":                      "thirdparty_7.json",
		"/contacts?limit=50&thirdparty_ids=7":  "contacts_of_7.json",
		"/contracts?limit=50&thirdparty_ids=7": "contracts_of_7.json",
		"/thirdparties?limit=1&sqlfilters=%28t.email%3A%3D%3A%27compta%40atelier-exemple.fr%27%29": "thirdparties_by_email_9.json",
		"/status": "status.json",
	}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/api/index.php")
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		f.mu.Lock()
		f.requests = append(f.requests, key)
		down := f.down
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case down:
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("<html>maintenance</html>"))
			return
		case r.Header.Get("DOLAPIKEY") != testAPIKey:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(mustRead(t, "unauthorized.json"))
			return
		}
		file, ok := routes[key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(mustRead(t, "not_found.json"))
			return
		}
		_, _ = w.Write(mustRead(t, file))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeDolibarr) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func mustRead(t *testing.T, name string) []byte {
	b, err := os.ReadFile("testdata/dolibarr/" + name)
	if err != nil {
		t.Error(err)
	}
	return b
}

func (f *fakeDolibarr) settings() map[string]string {
	return map[string]string{
		"connector":   "dolibarr",
		"base_url":    f.URL + "/api/index.php",
		"api_key":     testAPIKey,
		"allow_cidrs": "127.0.0.1/32",
	}
}
