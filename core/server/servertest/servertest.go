// Package servertest runs the whole application (server.Build on a fresh
// migrated database of each dialect) behind a real HTTP listener for
// scenario tests, with helpers for API keys and requests. Only tests import it.
package servertest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/server"
)

// Harness is a running application.
type Harness struct {
	App    *server.App
	Server *httptest.Server
	// Client keeps cookies and does not follow redirects, so tests see them.
	Client *http.Client
	tb     testing.TB
}

// Run runs fn once per dialect on a fresh application.
func Run(t *testing.T, fn func(t *testing.T, h *Harness), opts ...func(*server.Options)) {
	t.Helper()
	for _, d := range dbtest.Dialects(t) {
		t.Run(d, func(t *testing.T) { fn(t, New(t, d, opts...)) })
	}
}

// New starts the application on a fresh database of dialect.
func New(tb testing.TB, dialect string, opts ...func(*server.Options)) *Harness {
	tb.Helper()
	return NewOn(tb, dbtest.Open(tb, dialect), opts...)
}

// NewOn starts the application on an open, migrated database.
func NewOn(tb testing.TB, bdb *bun.DB, opts ...func(*server.Options)) *Harness {
	tb.Helper()
	o := server.Options{DataDir: tb.TempDir(), Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range opts {
		f(&o)
	}
	app, err := server.Build(bdb, o)
	if err != nil {
		tb.Fatalf("servertest: build: %v", err)
	}
	srv := httptest.NewServer(app.Handler)
	tb.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &Harness{App: app, Server: srv, Client: client, tb: tb}
}

// APIKey creates a key with scopes (all when none) and returns its secret.
func (h *Harness) APIKey(scopes ...apikey.Scope) string {
	h.tb.Helper()
	_, secret, err := h.App.Keys.Create(context.Background(), "test", scopes)
	if err != nil {
		h.tb.Fatalf("servertest: api key: %v", err)
	}
	return secret
}

// Request describes one HTTP call.
type Request struct {
	Method  string
	Path    string
	Body    string
	Headers map[string]string
	Key     string // sent as Authorization: Bearer
}

// Response is a read response.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r *Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		tb.Fatalf("servertest: response is not JSON (%v): %s", err, r.Body)
	}
}

// Do performs req against the running server.
func (h *Harness) Do(req Request) *Response {
	h.tb.Helper()
	if req.Method == "" {
		req.Method = http.MethodGet
	}
	hr, err := http.NewRequest(req.Method, h.Server.URL+req.Path, strings.NewReader(req.Body))
	if err != nil {
		h.tb.Fatalf("servertest: %v", err)
	}
	if req.Body != "" && req.Headers["Content-Type"] == "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	for k, v := range req.Headers {
		hr.Header.Set(k, v)
	}
	if req.Key != "" {
		hr.Header.Set("Authorization", "Bearer "+req.Key)
	}
	resp, err := h.Client.Do(hr)
	if err != nil {
		h.tb.Fatalf("servertest: %s %s: %v", req.Method, req.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}
