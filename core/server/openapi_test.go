package server_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/api"
	"github.com/guichet/guichet/core/server/servertest"
)

var ginParam = regexp.MustCompile(`[:*]([a-z_]+)`)

// TestOpenAPIMatchesRouter fails when a route of /api/v1 is missing from the
// OpenAPI document or the document describes a route the router lacks.
func TestOpenAPIMatchesRouter(t *testing.T) {
	h := servertest.New(t, "sqlite")
	routed := map[string]bool{}
	for _, r := range h.App.Handler.(*gin.Engine).Routes() {
		if p, ok := strings.CutPrefix(r.Path, "/api/v1"); ok {
			routed[r.Method+" "+ginParam.ReplaceAllString(p, "{$1}")] = true
		}
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	var missing, extra []string
	for r := range routed {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for d := range documented {
		if !routed[d] {
			extra = append(extra, d)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("routes not in openapi.json: %v\ndocumented but not routed: %v", missing, extra)
	}
	if len(routed) < 10 {
		t.Errorf("only %d API routes found; the route walk is broken", len(routed))
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	h := servertest.New(t, "sqlite")
	cases := []struct {
		path   string
		status int
		want   string
	}{
		{"/healthz", 200, `"status":"ok"`},
		{"/readyz", 200, `"status":"ok"`},
		{"/metrics", 200, "guichet_outbox_pending"},
		{"/api/v1/openapi.json", 200, `"openapi"`},
	}
	for _, tc := range cases {
		r := h.Do(servertest.Request{Path: tc.path})
		if r.Status != tc.status || !strings.Contains(r.Body, tc.want) {
			t.Errorf("GET %s: %d, want %d with %q", tc.path, r.Status, tc.status, tc.want)
		}
	}
	h.App.DB.Close()
	if r := h.Do(servertest.Request{Path: "/readyz"}); r.Status != 503 {
		t.Errorf("readyz with the database closed: %d, want 503", r.Status)
	}
	if r := h.Do(servertest.Request{Path: "/healthz"}); r.Status != 200 {
		t.Errorf("healthz with the database closed: %d, want 200 (the process is up)", r.Status)
	}
}
