package console_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

var ctx = context.Background()

const password = "correct horse battery"

// world is a helpdesk with two queues, an admin and three agents: one who
// may read queue A, one who may write queue A, one with no access. Each
// queue holds one ticket.
type world struct {
	h                           *servertest.Harness
	admin, reader, writer, none *agent.Agent
	qa, qb                      int64
	ta, tb                      *ticket.Ticket // ta in queue A, tb in queue B
}

func newWorld(t *testing.T, h *servertest.Harness) *world {
	t.Helper()
	w := &world{h: h}
	w.admin = mustAgent(t, h, "admin@example.com", agent.RoleAdmin)
	w.reader = mustAgent(t, h, "reader@example.com", agent.RoleAgent)
	w.writer = mustAgent(t, h, "writer@example.com", agent.RoleAgent)
	w.none = mustAgent(t, h, "none@example.com", agent.RoleAgent)
	qa, err := h.App.Queues.Create(ctx, queue.Input{Name: "Atelier"})
	dbtest.Must(t, err)
	qb, err := h.App.Queues.Create(ctx, queue.Input{Name: "Bureau"})
	dbtest.Must(t, err)
	w.qa, w.qb = qa.ID, qb.ID
	dbtest.Must(t, h.App.Agents.SetQueueAccess(ctx, w.reader.ID, qa.ID, agent.Read))
	dbtest.Must(t, h.App.Agents.SetQueueAccess(ctx, w.writer.ID, qa.ID, agent.Write))
	w.ta = mustTicket(t, h, qa.ID, "Imprimante en panne", "ana@example.com")
	w.tb = mustTicket(t, h, qb.ID, "Facture en double", "bob@example.org")
	return w
}

func mustAgent(tb testing.TB, h *servertest.Harness, email string, role agent.Role) *agent.Agent {
	tb.Helper()
	a, err := h.App.Agents.Create(ctx, agent.Input{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: password})
	dbtest.Must(tb, err)
	return a
}

func mustTicket(tb testing.TB, h *servertest.Harness, queueID int64, subject, email string) *ticket.Ticket {
	tb.Helper()
	tk, _, err := h.App.Tickets.Open(ctx, audit.Actor{Type: audit.ByAPIKey, ID: 1}, ticket.OpenInput{
		Subject: subject, Body: "Bonjour,\nça ne marche pas.", CustomerEmail: email, QueueID: queueID})
	dbtest.Must(tb, err)
	return tk
}

// signIn signs the harness's browser in as email (or signs out for "").
func signIn(tb testing.TB, h *servertest.Harness, email string) {
	tb.Helper()
	h.Client.Jar.SetCookies(mustURL(h), []*http.Cookie{{Name: "console_session", Value: "", MaxAge: -1}})
	if email == "" {
		return
	}
	r := post(tb, h, "/console/signin", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		tb.Fatalf("sign in as %s: %d %s", email, r.Status, r.Body)
	}
}

func mustURL(h *servertest.Harness) *url.URL {
	u, _ := url.Parse(h.Server.URL)
	return u
}

// csrf returns the browser's CSRF token, fetching a page first if needed.
func csrf(tb testing.TB, h *servertest.Harness) string {
	tb.Helper()
	for i := 0; i < 2; i++ {
		for _, c := range h.Client.Jar.Cookies(mustURL(h)) {
			if c.Name == "csrf" {
				return c.Value
			}
		}
		h.Do(servertest.Request{Path: "/console/signin"})
	}
	tb.Fatal("no CSRF cookie")
	return ""
}

// post submits a form as a browser would, with the CSRF token.
func post(tb testing.TB, h *servertest.Harness, path string, form url.Values) *servertest.Response {
	tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", csrf(tb, h))
	}
	return h.Do(servertest.Request{Method: http.MethodPost, Path: path, Body: form.Encode(),
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
}

// postFiles submits a multipart form with files (name → content).
func postFiles(tb testing.TB, h *servertest.Harness, path string, form url.Values, files map[string][]byte) *servertest.Response {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", csrf(tb, h))
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, body := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(body)
	}
	mw.Close()
	return h.Do(servertest.Request{Method: http.MethodPost, Path: path, Body: buf.String(),
		Headers: map[string]string{"Content-Type": mw.FormDataContentType()}})
}

var allQueues = ticket.AllQueues()

func hasPrefix(s, p string) bool { return strings.HasPrefix(s, p) }
