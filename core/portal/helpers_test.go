package portal_test

import (
	"bytes"
	"context"
	"github.com/guichet/guichet/core/agent"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

var ctx = context.Background()

// csrfOf returns the CSRF cookie the portal gave this client, fetching a
// page first when it has none.
func csrfOf(h *servertest.Harness) string {
	u, _ := url.Parse(h.Server.URL)
	for _, c := range h.Client.Jar.Cookies(u) {
		if c.Name == "csrf" {
			return c.Value
		}
	}
	h.Do(servertest.Request{Path: "/signin"})
	for _, c := range h.Client.Jar.Cookies(u) {
		if c.Name == "csrf" {
			return c.Value
		}
	}
	return ""
}

// post sends a form as a browser would: with the CSRF token and our Origin.
func post(h *servertest.Harness, path string, form url.Values) *servertest.Response {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", csrfOf(h))
	}
	return h.Do(servertest.Request{Method: http.MethodPost, Path: path, Body: form.Encode(),
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": h.Server.URL}})
}

type file struct {
	name string
	body []byte
}

// postFiles sends a multipart form with files in parts named "file".
func postFiles(h *servertest.Harness, path string, form url.Values, files ...file) *servertest.Response {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", csrfOf(h))
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile("file", f.name)
		fw.Write(f.body)
	}
	w.Close()
	return h.Do(servertest.Request{Method: http.MethodPost, Path: path, Body: buf.String(),
		Headers: map[string]string{"Content-Type": w.FormDataContentType(), "Origin": h.Server.URL}})
}

// runJobs drains the outbox, including the jobs fan-outs create. Jobs are
// due by the database clock, which may trail the enqueuing clock by a
// millisecond on SQLite: idle rounds wait a little before giving up.
func runJobs(t *testing.T, h *servertest.Harness) {
	t.Helper()
	idle := 0
	for idle < 3 {
		n, err := h.App.Jobs.RunDue(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			idle = 0
			continue
		}
		idle++
		time.Sleep(20 * time.Millisecond)
	}
}

var sixDigits = regexp.MustCompile(`\b[0-9]{6}\b`)

// lastCode reads the newest code mail to email from the dev mail sink.
func lastCode(t *testing.T, h *servertest.Harness, email string) string {
	t.Helper()
	runJobs(t, h)
	msgs, err := h.App.MailSink.List(ctx, email, 1)
	if err != nil || len(msgs) == 0 || msgs[0].Kind != "code" {
		t.Fatalf("no code mail to %s: %v %+v", email, err, msgs)
	}
	code := sixDigits.FindString(msgs[0].Subject)
	if code == "" || !strings.Contains(msgs[0].Text, code) || !strings.Contains(msgs[0].HTML, code) {
		t.Fatalf("code mail without a code: %+v", msgs[0])
	}
	return code
}

// newBrowser gives the harness a fresh cookie jar: another person.
func newBrowser(h *servertest.Harness) {
	jar, _ := cookiejar.New(nil)
	h.Client = &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn goes through the code flow in the current browser.
func signIn(t *testing.T, h *servertest.Harness, email string) {
	t.Helper()
	if r := post(h, "/signin", url.Values{"email": {email}}); r.Status != http.StatusSeeOther {
		t.Fatalf("request code: %d %s", r.Status, r.Body)
	}
	r := post(h, "/signin/code", url.Values{"code": {lastCode(t, h, strings.ToLower(email))}})
	if r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "/tickets") {
		t.Fatalf("verify code: %d %s %s", r.Status, r.Header.Get("Location"), r.Body)
	}
}

// openTicket opens a ticket through the portal and returns its number.
func openTicket(t *testing.T, h *servertest.Harness, subject string, files ...file) string {
	t.Helper()
	r := postFiles(h, "/tickets", url.Values{"subject": {subject}, "body": {"Bonjour,\nvoir https://example.com/doc"}, "form_token": {subject}}, files...)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("open ticket: %d %s", r.Status, r.Body)
	}
	return strings.TrimPrefix(r.Header.Get("Location"), "/tickets/")
}

// agentReply adds an agent's public reply (or internal note) as the console would.
// agentReply answers as Zoé Martin, a real agent created on first use.
func agentReply(t *testing.T, h *servertest.Harness, number string, kind ticket.ArticleKind, body string) {
	t.Helper()
	zoe, err := h.App.Agents.Authenticate(ctx, "zoe@help.test", "long enough password")
	if err != nil {
		zoe, err = h.App.Agents.Create(ctx, agent.Input{Email: "zoe@help.test", Name: "Zoé Martin", Role: agent.RoleAdmin, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.App.Tickets.AddArticle(ctx, ticket.AllQueues(), audit.Actor{Type: audit.ByAgent, ID: zoe.ID}, number,
		ticket.ArticleInput{Kind: kind, Body: body, Channel: ticket.ChannelConsole})
	if err != nil {
		t.Fatal(err)
	}
}

func mustContain(t *testing.T, r *servertest.Response, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("response %d lacks %q", r.Status, w)
		}
	}
}

func mustNotContain(t *testing.T, r *servertest.Response, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(r.Body, w) {
			t.Errorf("response %d contains %q", r.Status, w)
		}
	}
}
