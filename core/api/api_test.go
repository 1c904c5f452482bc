package api_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/server/servertest"
)

// scenario is one HTTP exchange and what must (and must not) come back.
type scenario struct {
	name    string
	method  string
	path    string
	body    string
	key     string // "all", "read", "none", "bad" or "revoked"
	headers map[string]string
	status  int
	want    []string
	notWant []string
}

func (sc scenario) run(t *testing.T, h *servertest.Harness, keys map[string]string) *servertest.Response {
	t.Helper()
	r := h.Do(servertest.Request{Method: sc.method, Path: sc.path, Body: sc.body, Key: keys[sc.key], Headers: sc.headers})
	if r.Status != sc.status {
		t.Errorf("%s %s: status %d, want %d; body %s", sc.method, sc.path, r.Status, sc.status, r.Body)
	}
	for _, w := range sc.want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("%s %s: body lacks %q: %s", sc.method, sc.path, w, r.Body)
		}
	}
	for _, w := range sc.notWant {
		if strings.Contains(r.Body, w) {
			t.Errorf("%s %s: body must not contain %q: %s", sc.method, sc.path, w, r.Body)
		}
	}
	return r
}

func keys(t *testing.T, h *servertest.Harness) map[string]string {
	revoked := h.APIKey()
	ks, err := h.App.Keys.List(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.App.Keys.Revoke(t.Context(), ks[0].ID); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"all":     h.APIKey(),
		"read":    h.APIKey(apikey.TicketsRead, apikey.QueuesRead),
		"bad":     "gch_" + strings.Repeat("a", 48),
		"revoked": revoked,
	}
}

func createTicket(t *testing.T, h *servertest.Harness, key, body string) string {
	t.Helper()
	r := h.Do(servertest.Request{Method: "POST", Path: "/api/v1/tickets", Key: key, Body: body})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var tk struct{ Number string }
	r.JSON(t, &tk)
	return tk.Number
}

func TestTicketAPI(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		k := keys(t, h)
		number := createTicket(t, h, k["all"], `{"subject":"Imprimante","body":"Elle est <b>cassée</b>","customer_email":"ana@example.com","customer_name":"Ana"}`)
		big := `{"subject":"x","body":"` + strings.Repeat("a", 1<<20+10) + `","customer_email":"a@b.co"}`
		scenarios := []scenario{
			{name: "no key", method: "GET", path: "/api/v1/tickets", status: 401, want: []string{`"kind":"unauthorized"`}},
			{name: "unknown key", method: "GET", path: "/api/v1/tickets", key: "bad", status: 401},
			{name: "revoked key", method: "GET", path: "/api/v1/tickets", key: "revoked", status: 401},
			{name: "key in query string ignored", method: "GET", path: "/api/v1/tickets?api_key=" + k["all"], status: 401},
			{name: "read key cannot write", method: "POST", path: "/api/v1/tickets", key: "read", body: `{}`, status: 403, want: []string{"tickets:write"}},
			{name: "read key cannot see customers", method: "GET", path: "/api/v1/customers/ana@example.com", key: "read", status: 403},
			{name: "list", method: "GET", path: "/api/v1/tickets", key: "read", status: 200, want: []string{number, `"customer_email":"ana@example.com"`, `"next_cursor":""`}},
			{name: "get with articles", method: "GET", path: "/api/v1/tickets/" + strings.ToLower(number), key: "read", status: 200,
				want:    []string{`"articles":[`, `"body_html":"\u003cp\u003eElle est \u0026lt;b\u0026gt;cassée\u0026lt;/b\u0026gt;\u003c/p\u003e`, `"author_name":"Ana"`},
				notWant: []string{"link_secret", "link_version"}},
			{name: "unknown ticket", method: "GET", path: "/api/v1/tickets/ZZZZZ", key: "all", status: 404, want: []string{`"kind":"not_found"`}},
			{name: "malformed number", method: "GET", path: "/api/v1/tickets/../../etc", key: "all", status: 404},
			{name: "unknown fields named", method: "POST", path: "/api/v1/tickets", key: "all", status: 400,
				body: `{"subject":"s","body":"b","customer_email":"a@b.co","priority":2,"state":"closed","owner_id":3}`,
				want: []string{`"state":"unknown field"`, `"owner_id":"unknown field"`}},
			{name: "missing fields named", method: "POST", path: "/api/v1/tickets", key: "all", body: `{}`, status: 400,
				want: []string{`"subject":"required"`, `"body":"required"`}},
			{name: "bad email", method: "POST", path: "/api/v1/tickets", key: "all", status: 400,
				body: `{"subject":"s","body":"b","customer_email":"not an address"}`, want: []string{`"customer_email"`}},
			{name: "not json", method: "POST", path: "/api/v1/tickets", key: "all", body: `subject=x`, status: 400},
			{name: "wrong type", method: "POST", path: "/api/v1/tickets", key: "all", body: `{"subject":"s","body":"b","customer_email":"a@b.co","priority":"high"}`, status: 400, want: []string{`"priority"`}},
			{name: "oversized body", method: "POST", path: "/api/v1/tickets", key: "all", body: big, status: 413, want: []string{`"kind":"too_large"`}},
			{name: "unknown queue name", method: "POST", path: "/api/v1/tickets", key: "all", status: 400,
				body: `{"subject":"s","body":"b","customer_email":"a@b.co","queue":"Nope"}`, want: []string{`no queue named`}},
			{name: "queue by name", method: "POST", path: "/api/v1/tickets", key: "all", status: 201,
				body: `{"subject":"s","body":"b","customer_email":"a@b.co","queue":"Support","type":"problem","priority":5}`,
				want: []string{`"queue_name":"Support"`, `"type":"problem"`, `"priority":5`}},
			{name: "patch", method: "PATCH", path: "/api/v1/tickets/" + number, key: "all", body: `{"state":"pending_customer","priority":1}`, status: 200,
				want: []string{`"state":"pending_customer"`, `"priority":1`}},
			{name: "patch bad state", method: "PATCH", path: "/api/v1/tickets/" + number, key: "all", body: `{"state":"gone"}`, status: 400, want: []string{`"state"`}},
			{name: "patch unknown owner", method: "PATCH", path: "/api/v1/tickets/" + number, key: "all", body: `{"owner":42}`, status: 400, want: []string{`"owner"`}},
			{name: "patch customer field refused", method: "PATCH", path: "/api/v1/tickets/" + number, key: "all", body: `{"subject":"x"}`, status: 400, want: []string{`"subject":"unknown field"`}},
			{name: "note", method: "POST", path: "/api/v1/tickets/" + number + "/articles", key: "all", body: `{"body":"internal stuff","internal":true}`, status: 201, want: []string{`"kind":"internal"`}},
			{name: "reply", method: "POST", path: "/api/v1/tickets/" + number + "/articles", key: "all", body: `{"body":"see https://example.com"}`, status: 201,
				want: []string{`"kind":"public"`, `href=\"https://example.com\"`}},
			{name: "empty reply", method: "POST", path: "/api/v1/tickets/" + number + "/articles", key: "all", body: `{"body":" "}`, status: 400},
			{name: "filter by state", method: "GET", path: "/api/v1/tickets?state=pending_customer", key: "all", status: 200, want: []string{number}},
			{name: "filter by customer", method: "GET", path: "/api/v1/tickets?customer=nobody@example.com", key: "all", status: 200, notWant: []string{number}},
			{name: "unknown list parameter", method: "GET", path: "/api/v1/tickets?color=red", key: "all", status: 400, want: []string{`"color"`}},
			{name: "bad sort", method: "GET", path: "/api/v1/tickets?sort=subject", key: "all", status: 400, want: []string{`"sort"`}},
			{name: "bad cursor", method: "GET", path: "/api/v1/tickets?cursor=!!", key: "all", status: 400, want: []string{`"cursor"`}},
			{name: "limit too high", method: "GET", path: "/api/v1/tickets?limit=5000", key: "all", status: 400, want: []string{`"limit"`}},
			{name: "queues", method: "GET", path: "/api/v1/queues", key: "read", status: 200, want: []string{`"name":"Support"`}},
			{name: "create queue", method: "POST", path: "/api/v1/queues", key: "all", body: `{"name":"Ventes","visible_to_customers":false}`, status: 201, want: []string{`"visible_to_customers":false`}},
			{name: "duplicate queue", method: "POST", path: "/api/v1/queues", key: "all", body: `{"name":"Support"}`, status: 400, want: []string{`"name":"already used"`}},
			{name: "customer", method: "GET", path: "/api/v1/customers/ANA@example.com", key: "all", status: 200, want: []string{`"name":"Ana"`}},
			{name: "unknown customer", method: "GET", path: "/api/v1/customers/who@example.com", key: "all", status: 404},
			{name: "unknown endpoint", method: "GET", path: "/api/v1/nope", key: "all", status: 404, want: []string{`"kind":"not_found"`}},
			{name: "wrong method", method: "DELETE", path: "/api/v1/tickets", key: "all", status: 405},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) { sc.run(t, h, k) })
		}
		// Nothing refused above may have written a ticket: only the two created.
		var page struct{ Items []struct{ Number string } }
		h.Do(servertest.Request{Path: "/api/v1/tickets", Key: k["all"]}).JSON(t, &page)
		if len(page.Items) != 2 {
			t.Errorf("tickets after the scenarios = %d, want 2", len(page.Items))
		}
	})
}

func TestIdempotencyKeyHeader(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		key := h.APIKey()
		body := `{"subject":"Once","body":"b","customer_email":"a@b.co"}`
		hdr := map[string]string{"Idempotency-Key": "retry-1"}
		first := h.Do(servertest.Request{Method: "POST", Path: "/api/v1/tickets", Key: key, Body: body, Headers: hdr})
		again := h.Do(servertest.Request{Method: "POST", Path: "/api/v1/tickets", Key: key, Body: body, Headers: hdr})
		if first.Status != 201 || again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("first %d, retry %d replayed=%q", first.Status, again.Status, again.Header.Get("Idempotent-Replayed"))
		}
		var a, b struct{ Number string }
		first.JSON(t, &a)
		again.JSON(t, &b)
		if a.Number != b.Number {
			t.Errorf("retry opened %s, first was %s", b.Number, a.Number)
		}
		other := h.Do(servertest.Request{Method: "POST", Path: "/api/v1/tickets", Key: key, Headers: hdr,
			Body: `{"subject":"Changed","body":"b","customer_email":"a@b.co"}`})
		if other.Status != 409 {
			t.Errorf("same key, other body: %d, want 409", other.Status)
		}
	})
}

func TestPagination(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		key := h.APIKey()
		for i := range 7 {
			createTicket(t, h, key, fmt.Sprintf(`{"subject":"t%d","body":"b","customer_email":"a@b.co"}`, i))
		}
		seen := map[string]bool{}
		cursor := ""
		for pages := 1; ; pages++ {
			var page struct {
				Items      []struct{ Number string }
				NextCursor string `json:"next_cursor"`
			}
			h.Do(servertest.Request{Path: "/api/v1/tickets?limit=3&sort=created_at&cursor=" + cursor, Key: key}).JSON(t, &page)
			for _, it := range page.Items {
				if seen[it.Number] {
					t.Fatalf("%s on two pages", it.Number)
				}
				seen[it.Number] = true
			}
			if page.NextCursor == "" {
				if pages != 3 || len(seen) != 7 {
					t.Errorf("%d pages, %d tickets; want 3 pages, 7 tickets", pages, len(seen))
				}
				return
			}
			cursor = page.NextCursor
		}
	})
}

func upload(t *testing.T, h *servertest.Harness, key, path string, files map[string][]byte) *servertest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, content := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	return h.Do(servertest.Request{Method: "POST", Path: path, Key: key, Body: buf.String(),
		Headers: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestAttachmentsAPI(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		key := h.APIKey()
		number := createTicket(t, h, key, `{"subject":"s","body":"b","customer_email":"a@b.co"}`)
		var tk struct{ Articles []struct{ ID int64 } }
		h.Do(servertest.Request{Path: "/api/v1/tickets/" + number, Key: key}).JSON(t, &tk)
		path := fmt.Sprintf("/api/v1/tickets/%s/articles/%d/attachments", number, tk.Articles[0].ID)
		huge := bytes.Repeat([]byte("a"), 10<<20+1)
		cases := []struct {
			name   string
			files  map[string][]byte
			status int
			want   string
		}{
			{"html disguised as txt", map[string][]byte{"notes.txt": []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}, 400, "never accepted"},
			{"svg refused by extension", map[string][]byte{"logo.svg": []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")}, 400, "allowed types are"},
			{"pdf that is not a pdf", map[string][]byte{"facture.pdf": []byte("hello")}, 400, "does not match"},
			{"over the size limit", map[string][]byte{"big.log": huge}, 413, "10 MB limit"},
			{"empty", map[string][]byte{"vide.txt": {}}, 400, "empty"},
			{"good files", map[string][]byte{"écran.png": pngBytes, "journal.log": []byte("line 1\nline 2\n")}, 201, `"content_type":"image/png"`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := upload(t, h, key, path, tc.files)
				if r.Status != tc.status || !strings.Contains(r.Body, tc.want) {
					t.Errorf("status %d body %s; want %d containing %q", r.Status, r.Body, tc.status, tc.want)
				}
			})
		}
		var got struct {
			Articles []struct {
				Attachments []struct{ ID, Filename string }
			}
		}
		h.Do(servertest.Request{Path: "/api/v1/tickets/" + number, Key: key}).JSON(t, &got)
		atts := got.Articles[0].Attachments
		if len(atts) != 2 {
			t.Fatalf("attachments = %+v; refused uploads must leave nothing", atts)
		}
		for _, a := range atts {
			r := h.Do(servertest.Request{Path: "/api/v1/tickets/" + number + "/attachments/" + a.ID, Key: key})
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") ||
				r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
				t.Errorf("download %s: %d %v", a.Filename, r.Status, r.Header)
			}
		}
		other := createTicket(t, h, key, `{"subject":"other","body":"b","customer_email":"z@b.co"}`)
		r := h.Do(servertest.Request{Path: "/api/v1/tickets/" + other + "/attachments/" + atts[0].ID, Key: key})
		if r.Status != 404 {
			t.Errorf("attachment through another ticket: %d, want 404", r.Status)
		}
		if r := upload(t, h, key, "/api/v1/tickets/"+other+fmt.Sprintf("/articles/%d/attachments", tk.Articles[0].ID),
			map[string][]byte{"a.txt": []byte("x")}); r.Status != 404 {
			t.Errorf("upload to another ticket's article: %d, want 404", r.Status)
		}
	})
}
