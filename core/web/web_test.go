package web

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

func init() { gin.SetMode(gin.TestMode) }

func csrfRouter() *gin.Engine {
	r := gin.New()
	x := CSRF{Origin: OwnOrigin("https://help.example.com", nil)}
	r.Use(x.Middleware())
	r.GET("/form", func(c *gin.Context) { c.String(200, CSRFToken(c)) })
	r.POST("/form", func(c *gin.Context) { c.String(200, "done") })
	return r
}

func TestCSRF(t *testing.T) {
	r := csrfRouter()
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/form", nil))
	token := w.Body.String()
	cookie := w.Result().Cookies()[0]
	if len(token) != 43 || cookie.Value != token || !cookie.HttpOnly {
		t.Fatalf("token %q cookie %+v", token, cookie)
	}
	cases := []struct {
		name   string
		form   string
		cookie bool
		origin string
		status int
	}{
		{"token and same origin", "csrf=" + token, true, "https://help.example.com", 200},
		{"token, no origin header", "csrf=" + token, true, "", 200},
		{"no token", "", true, "", 403},
		{"wrong token", "csrf=" + strings.Repeat("x", 43), true, "", 403},
		{"token without cookie", "csrf=" + token, false, "", 403},
		{"foreign origin", "csrf=" + token, true, "https://evil.example", 403},
		{"null origin", "csrf=" + token, true, "null", 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/form", strings.NewReader(tc.form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.cookie {
				req.AddCookie(cookie)
			}
			if tc.origin != "" {
				req.Header.Set("Origin", tc.origin)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Errorf("status %d, want %d", w.Code, tc.status)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	proxies, _ := ParseTrustedProxies("10.0.0.0/8")
	cases := []struct {
		name      string
		frame     []string
		remote    string
		proto     string
		wantFrame string
		hsts      bool
	}{
		{"console never framed", nil, "192.0.2.1:1", "", "frame-ancestors 'none'", false},
		{"portal embedded", []string{"https://intranet.example.com"}, "192.0.2.1:1", "", "frame-ancestors https://intranet.example.com", false},
		{"https from trusted proxy", nil, "10.1.2.3:1", "https", "'none'", true},
		{"https header from anyone ignored", nil, "192.0.2.1:1", "https", "'none'", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := gin.New()
			r.Use(SecurityHeaders(Headers{Proxies: proxies, FrameAncestors: func(*gin.Context) []string { return tc.frame }}))
			r.GET("/", func(c *gin.Context) { c.String(200, Nonce(c)) })
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tc.remote
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			csp := w.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, tc.wantFrame) || !strings.Contains(csp, "'nonce-"+w.Body.String()+"'") ||
				strings.Contains(csp, "unsafe-inline") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("headers %v", w.Header())
			}
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != tc.hsts {
				t.Errorf("HSTS = %v, want %v", got, tc.hsts)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	type req struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	cases := []struct {
		name   string
		body   string
		kind   errs.Kind
		fields []string
	}{
		{"ok", `{"name":"a","count":2}`, "", nil},
		{"unknown fields named", `{"name":"a","x":1,"y":2}`, errs.Invalid, []string{"x", "y"}},
		{"wrong type", `{"count":"two"}`, errs.Invalid, []string{"count"}},
		{"array", `[1]`, errs.Invalid, nil},
		{"too large", `{"name":"` + strings.Repeat("a", MaxJSONBody) + `"}`, errs.TooLarge, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := gin.CreateTestContext(httptest.NewRecorder())
			c.Request = httptest.NewRequest("POST", "/", strings.NewReader(tc.body))
			var dst req
			err := DecodeJSON(c, &dst)
			if errs.KindOf(err) != tc.kind {
				t.Fatalf("err = %v, want kind %q", err, tc.kind)
			}
			for _, f := range tc.fields {
				if errs.As(err).Fields[f] == "" {
					t.Errorf("field %s not named in %v", f, err)
				}
			}
		})
	}
}

func TestStatusTable(t *testing.T) {
	cases := map[errs.Kind]int{errs.Invalid: 400, errs.NotFound: 404, errs.Unavailable: 503, errs.TooLarge: 413, errs.RateLimited: 429}
	for k, want := range cases {
		if got := Status(errs.E(k, "x")); got != want {
			t.Errorf("Status(%s) = %d, want %d", k, got, want)
		}
	}
	e := Classify(os.ErrPermission, nil)
	if e.Kind != errs.Internal || strings.Contains(e.Message, "permission") {
		t.Errorf("unknown errors must become a bare internal error: %+v", e)
	}
	if e := Classify(&http.MaxBytesError{Limit: 10}, nil); e.Kind != errs.TooLarge {
		t.Errorf("MaxBytesError → %s", e.Kind)
	}
}

func TestThemeOverlayAndRenderer(t *testing.T) {
	base := fstest.MapFS{
		"templates/demo/_layout.html": {Data: []byte(`{{define "layout"}}<main>{{template "main" .}}</main> <link href="{{asset "demo.css"}}">{{end}}`)},
		"templates/demo/hello.html":   {Data: []byte(`{{define "main"}}Hello {{.}}{{end}}`)},
		"static/demo.css":             {Data: []byte("body{}")},
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "templates", "demo"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "demo", "hello.html"), []byte(`{{define "main"}}Bonjour {{.}}{{end}}`), 0o644)
	theme := Overlay(base, dir)
	assets, err := NewAssets(theme, "/assets")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(theme, template.FuncMap{"asset": assets.URL}, "demo")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := r.Render(&out, "demo/hello", "<Ana>"); err != nil {
		t.Fatal(err)
	}
	u, _ := assets.URL("demo.css")
	if out.String() != `<main>Bonjour &lt;Ana&gt;</main> <link href="`+u+`">` || !strings.HasPrefix(u, "/assets/demo.") {
		t.Errorf("rendered %q (asset %q)", out.String(), u)
	}
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", u, nil)
	c.Params = gin.Params{{Key: "file", Value: "/" + strings.TrimPrefix(u, "/assets/")}}
	assets.Handler(c)
	if w.Code != 200 || w.Body.String() != "body{}" || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("asset: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	broken := fstest.MapFS{"templates/demo/bad.html": {Data: []byte(`{{define "main"}}{{.Nope`)}}
	if _, err := NewRenderer(broken, nil, "demo"); err == nil {
		t.Error("a broken template must fail at start")
	}
}
