package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
)

// scenario is one request through the real router and database, made by a
// browser signed in as "as" ("" for nobody). Scenarios of a table run in
// order, so later ones see what earlier ones did.
type scenario struct {
	name    string
	as      string
	method  string
	path    string // {a} and {b} stand for the numbers of tickets in queues A and B
	form    url.Values
	files   map[string][]byte
	headers map[string]string
	noCSRF  bool
	status  int
	want    []string
	notWant []string
	header  map[string]string // response headers that must contain a value
}

func runScenarios(t *testing.T, w *world, cases []scenario) {
	t.Helper()
	current := "?"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.as != current && tc.as != "?" { // "?": keep the browser as it is
				signIn(t, w.h, tc.as)
				current = tc.as
			}
			path := tc.path
			if w.ta != nil {
				path = strings.NewReplacer("{a}", w.ta.Number, "{b}", w.tb.Number).Replace(path)
			}
			var r *servertest.Response
			switch {
			case tc.method == "" || tc.method == http.MethodGet:
				r = w.h.Do(servertest.Request{Path: path, Headers: tc.headers})
			case tc.files != nil:
				r = postFiles(t, w.h, path, tc.form, tc.files)
			default:
				form := url.Values{}
				for k, v := range tc.form {
					form[k] = v
				}
				if tc.noCSRF {
					form.Set("csrf", "")
				}
				r = postWith(t, w.h, path, form, tc.headers)
			}
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d; body:\n%.2000s", r.Status, tc.status, r.Body)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.Body, s) {
					t.Errorf("body lacks %q:\n%.3000s", s, r.Body)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(r.Body, s) {
					t.Errorf("body contains %q", s)
				}
			}
			for k, v := range tc.header {
				if !strings.Contains(r.Header.Get(k), v) {
					t.Errorf("header %s = %q, want it to contain %q", k, r.Header.Get(k), v)
				}
			}
		})
	}
}

func postWith(tb testing.TB, h *servertest.Harness, path string, form url.Values, headers map[string]string) *servertest.Response {
	tb.Helper()
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", csrf(tb, h))
	}
	hd := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, v := range headers {
		hd[k] = v
	}
	return h.Do(servertest.Request{Method: http.MethodPost, Path: path, Body: form.Encode(), Headers: hd})
}

func TestSignInAndSessions(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		runScenarios(t, w, []scenario{
			{name: "sign-in page", path: "/console/signin", status: 200, want: []string{`name="csrf"`, `name="password"`},
				header: map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY"}},
			{name: "the console needs a session", path: "/console", status: 303, header: map[string]string{"Location": "/console/signin?next="}},
			{name: "the live endpoint needs a session", path: "/console/live", status: 401},
			{name: "wrong password", method: "POST", path: "/console/signin", form: url.Values{"email": {"writer@example.com"}, "password": {"nope nope nope"}},
				status: 401, want: []string{"Adresse ou mot de passe incorrect."}},
			{name: "unknown address gets the same answer", method: "POST", path: "/console/signin", form: url.Values{"email": {"ghost@example.com"}, "password": {"nope nope nope"}},
				status: 401, want: []string{"Adresse ou mot de passe incorrect."}},
			{name: "a form without its CSRF token is refused", method: "POST", path: "/console/signin", noCSRF: true,
				form: url.Values{"email": {"writer@example.com"}, "password": {password}}, status: 403},
			{name: "a cross-site form is refused", method: "POST", path: "/console/signin", headers: map[string]string{"Origin": "https://evil.example"},
				form: url.Values{"email": {"writer@example.com"}, "password": {password}}, status: 403},
			{name: "disabled agent cannot sign in", as: "admin@example.com", method: "POST", path: "/console/agents/4/disable", form: url.Values{"disabled": {"1"}}, status: 303},
			{name: "disabled agent gets the generic answer", as: "", method: "POST", path: "/console/signin",
				form: url.Values{"email": {"none@example.com"}, "password": {password}}, status: 401, want: []string{"Adresse ou mot de passe incorrect."}},
			{name: "right password lands on next", method: "POST", path: "/console/signin",
				form: url.Values{"email": {"writer@example.com"}, "password": {password}, "next": {"/console/me"}}, status: 303, header: map[string]string{"Location": "/console/me"}},
			{name: "next never leaves the console", as: "", method: "POST", path: "/console/signin",
				form: url.Values{"email": {"writer@example.com"}, "password": {password}, "next": {"//evil.example/x"}}, status: 303, header: map[string]string{"Location": "/console"}},
			{name: "signed in", as: "writer@example.com", path: "/console", status: 200, want: []string{"Se déconnecter"}},
			{name: "sign out", as: "writer@example.com", method: "POST", path: "/console/signout", status: 303},
		})
		t.Run("the session cookie is gone after sign-out", func(t *testing.T) {
			if r := h.Do(servertest.Request{Path: "/console"}); r.Status != 303 {
				t.Errorf("after sign-out the console answered %d", r.Status)
			}
		})
		t.Run("sign-in attempts are rate limited per address", func(t *testing.T) {
			var last int
			for i := 0; i < 12; i++ {
				last = post(t, h, "/console/signin", url.Values{"email": {"reader@example.com"}, "password": {"wrong password!"}}).Status
			}
			if last != http.StatusTooManyRequests {
				t.Fatalf("12th wrong attempt answered %d, want 429", last)
			}
			if r := post(t, h, "/console/signin", url.Values{"email": {"reader@example.com"}, "password": {password}}); r.Status != http.StatusTooManyRequests {
				t.Errorf("the right password during the cool-off answered %d, want 429", r.Status)
			}
		})
	})
}

func TestSessionCookieOverHTTPS(t *testing.T) {
	h := servertest.New(t, "sqlite", trustLoopback)
	newWorld(t, h)
	https := map[string]string{"X-Forwarded-Proto": "https"}
	first := h.Do(servertest.Request{Path: "/console/signin", Headers: https})
	var token string
	for _, c := range (&http.Response{Header: first.Header}).Cookies() {
		if c.Name == "__Host-csrf" {
			token = c.Value
		}
	}
	if token == "" {
		t.Fatalf("no __Host-csrf cookie over HTTPS: %v", first.Header.Values("Set-Cookie"))
	}
	https["Cookie"] = "__Host-csrf=" + token
	r := postWith(t, h, "/console/signin", url.Values{"email": {"admin@example.com"}, "password": {password}, "csrf": {token}}, https)
	cookies := strings.Join(r.Header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"__Host-console_session=", "Secure", "HttpOnly", "Path=/", "SameSite=Lax"} {
		if !strings.Contains(cookies, want) {
			t.Errorf("Set-Cookie lacks %q: %s", want, cookies)
		}
	}
	if strings.Contains(cookies, "Domain=") {
		t.Errorf("a __Host- cookie must not carry a Domain: %s", cookies)
	}
}
