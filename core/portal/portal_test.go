package portal_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
)

func TestSignIn(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		if r := h.Do(servertest.Request{Path: "/"}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/signin" {
			t.Fatalf("home signed out: %d %s", r.Status, r.Header.Get("Location"))
		}
		mustContain(t, h.Do(servertest.Request{Path: "/signin"}), `name="email"`, `lang="fr"`, "Recevoir un code")
		// A known and an unknown address get the same answer.
		h.App.Customers.ByEmail(ctx, "x") // no-op: customers are only created by signing in
		_, _, err := h.App.Tickets.Open(ctx, system, ticket.OpenInput{Subject: "s", Body: "b", CustomerEmail: "known@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		known := post(h, "/signin", url.Values{"email": {"known@example.com"}})
		unknown := post(h, "/signin", url.Values{"email": {"unknown@example.com"}})
		if known.Status != unknown.Status || known.Header.Get("Location") != unknown.Header.Get("Location") || known.Body != unknown.Body {
			t.Errorf("known %d %q, unknown %d %q", known.Status, known.Header.Get("Location"), unknown.Status, unknown.Header.Get("Location"))
		}
		cases := []struct {
			name   string
			path   string
			form   url.Values
			status int
			want   string
		}{
			{"bad address", "/signin", url.Values{"email": {"not an address"}}, 400, "adresse e-mail valide"},
			{"header injection in address", "/signin", url.Values{"email": {"a@example.com\r\nBcc: b@example.com"}}, 400, "adresse e-mail valide"},
			{"second code within a minute", "/signin", url.Values{"email": {"unknown@example.com"}}, 429, "Trop de tentatives"},
			{"empty code", "/signin/code", url.Values{"code": {""}}, 400, "faux ou a expiré"},
			{"five digits", "/signin/code", url.Values{"code": {"12345"}}, 400, "faux ou a expiré"},
			{"letters", "/signin/code", url.Values{"code": {"12a456"}}, 400, "faux ou a expiré"},
			{"unicode digits", "/signin/code", url.Values{"code": {"١٢٣٤٥٦"}}, 400, "faux ou a expiré"},
			{"no csrf token", "/signin/code", url.Values{"code": {"123456"}, "csrf": {""}}, 403, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := post(h, tc.path, tc.form)
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
				}
				mustContain(t, r, tc.want)
			})
		}
		code := lastCode(t, h, "unknown@example.com")
		r := post(h, "/signin/code", url.Values{"code": {code}, "next": {"https://evil.example/"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/tickets" {
			t.Fatalf("right code: %d %q (never an outside redirect)", r.Status, r.Header.Get("Location"))
		}
		if !strings.Contains(r.Header.Get("Set-Cookie"), "HttpOnly") {
			t.Errorf("session cookie flags: %s", r.Header.Values("Set-Cookie"))
		}
		mustContain(t, h.Do(servertest.Request{Path: "/tickets"}), "Mes demandes", "unknown@example.com")
		if r := post(h, "/signin/code", url.Values{"code": {code}}); r.Status != http.StatusBadRequest {
			t.Errorf("code used twice: %d", r.Status)
		}
	})
}

var system = ticketActor()

func TestCrossSiteAndSessions(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		signIn(t, h, "ana@example.com")
		cross := h.Do(servertest.Request{Method: "POST", Path: "/signout", Body: "csrf=" + csrfOf(h),
			Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}})
		if cross.Status != http.StatusForbidden {
			t.Errorf("cross-site sign out: %d", cross.Status)
		}
		u, _ := url.Parse(h.Server.URL)
		var sid string
		for _, c := range h.Client.Jar.Cookies(u) {
			if c.Name == "sid" {
				sid = c.Value
			}
		}
		replay := func(value string) int {
			req, _ := http.NewRequest("GET", h.Server.URL+"/tickets", nil)
			req.AddCookie(&http.Cookie{Name: "sid", Value: value})
			resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		for name, v := range map[string]string{"forged": strings.Repeat("A", 43), "empty": "", "truncated": sid[:20]} {
			if got := replay(v); got != http.StatusSeeOther {
				t.Errorf("%s session cookie: %d, want a redirect to sign in", name, got)
			}
		}
		if replay(sid) != http.StatusOK {
			t.Fatal("the real session does not work")
		}
		if r := post(h, "/signout", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", r.Status)
		}
		if replay(sid) != http.StatusSeeOther {
			t.Error("a signed-out session id still works")
		}
		// Two devices, then sign out everywhere from one.
		newBrowser(h)
		signIn(t, h, "bob@example.com")
		first := h.Client
		newBrowser(h)
		h.Client.Jar = first.Jar // same cookies, to read the session below
		for _, c := range first.Jar.Cookies(u) {
			if c.Name == "sid" {
				sid = c.Value
			}
		}
		newBrowser(h)
		h.App.Limits.Reset(ctx, "code_send:bob@example.com", rule1min)
		signIn(t, h, "bob@example.com")
		if r := post(h, "/signout/everywhere", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", r.Status)
		}
		if replay(sid) != http.StatusSeeOther {
			t.Error("the other device is still signed in")
		}
	})
}

func pngBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func TestTickets(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		signIn(t, h, "ana@example.com")
		mustContain(t, h.Do(servertest.Request{Path: "/tickets/new"}), `name="subject"`, `name="file"`, "10 Mo", "pdf")
		mustNotContain(t, h.Do(servertest.Request{Path: "/tickets/new"}), "priority")
		form := url.Values{"subject": {"Imprimante"}, "body": {"Elle <script>alert(1)</script> ne marche plus\nhttps://example.com/x"},
			"form_token": {"tok-1"}, "priority": {"5"}}
		first := postFiles(h, "/tickets", form, file{"photo.png", pngBytes()}, file{"log.txt", []byte("error 42\n")})
		again := postFiles(h, "/tickets", form, file{"photo.png", pngBytes()}, file{"log.txt", []byte("error 42\n")})
		if first.Status != 303 || again.Header.Get("Location") != first.Header.Get("Location") {
			t.Fatalf("double submit: %d %s then %s", first.Status, first.Header.Get("Location"), again.Header.Get("Location"))
		}
		number := strings.TrimPrefix(first.Header.Get("Location"), "/tickets/")
		tk, err := h.App.Tickets.Get(ctx, ticket.AllQueues(), number)
		if err != nil || tk.Priority != ticket.DefaultPriority || tk.Channel != ticket.ChannelPortal {
			t.Fatalf("ticket %+v, %v: a customer set the priority", tk, err)
		}
		page, _ := h.App.Tickets.List(ctx, ticket.AllQueues(), ticket.ListQuery{})
		if len(page.Items) != 1 {
			t.Fatalf("%d tickets after a double submit", len(page.Items))
		}
		agentReply(t, h, number, ticket.Internal, "note interne secrète")
		agentReply(t, h, number, ticket.Public, "Pouvez-vous redémarrer ?")
		_, err = h.App.Tickets.Update(ctx, ticket.AllQueues(), system, number, ticket.Patch{State: ptr(ticket.PendingCustomer)})
		if err != nil {
			t.Fatal(err)
		}
		list := h.Do(servertest.Request{Path: "/tickets"})
		mustContain(t, list, number, "Imprimante", "En attente de votre réponse", "Mis à jour")
		view := h.Do(servertest.Request{Path: "/tickets/" + number})
		mustContain(t, view, "Pouvez-vous redémarrer ?", "&lt;script&gt;", `<a href="https://example.com/x"`, "<img src=", "photo.png", "log.txt", "Fermer cette demande")
		mustNotContain(t, view, "note interne secrète", "<script>alert")
		files := map[string]string{}
		for _, a := range mustArticles(t, h, number) {
			for _, f := range a.Attachments {
				files[f.Filename] = f.PublicID
			}
		}
		img := h.Do(servertest.Request{Path: "/tickets/" + number + "/files/" + files["photo.png"]})
		txt := h.Do(servertest.Request{Path: "/tickets/" + number + "/files/" + files["log.txt"]})
		if !strings.HasPrefix(img.Header.Get("Content-Disposition"), "inline") || !strings.HasPrefix(txt.Header.Get("Content-Disposition"), "attachment") ||
			txt.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(txt.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("file headers: image %v, text %v", img.Header, txt.Header)
		}
		if r := postFiles(h, "/tickets/"+number+"/reply", url.Values{"body": {"J’ai redémarré."}}, file{"trace.log", []byte("ok\n")}); r.Status != 303 {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		mustContain(t, h.Do(servertest.Request{Path: "/tickets/" + number}), "J’ai redémarré.", "trace.log")
		refused := []struct {
			name   string
			files  []file
			status int
			want   string
		}{
			{"extension", []file{{"virus.exe", []byte("MZ")}}, 400, "Types acceptés : jpg"},
			{"content does not match", []file{{"fake.png", []byte("not a png at all")}}, 400, "ne correspond pas"},
			{"html named txt", []file{{"page.txt", []byte("<html><script>alert(1)</script></html>")}}, 400, "ne correspond pas"},
			{"too large", []file{{"big.txt", bytes.Repeat([]byte("a"), 1<<20+1)}}, 413, "limite de 1 Mo"},
		}
		pol := settings.DefaultHelpdesk()
		pol.MaxAttachmentMB = 1
		if err := h.App.Settings.SaveHelpdesk(ctx, pol); err != nil {
			t.Fatal(err)
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				r := postFiles(h, "/tickets", url.Values{"subject": {"x"}, "body": {"y"}, "form_token": {tc.name}}, tc.files...)
				if r.Status != tc.status {
					t.Fatalf("status %d, want %d", r.Status, tc.status)
				}
				mustContain(t, r, tc.want)
			})
		}
		if r := postFiles(h, "/tickets", url.Values{"subject": {"x"}, "body": {"y"}, "form_token": {"huge"}}, file{"huge.txt", bytes.Repeat([]byte("a"), 12<<20)}); r.Status != 413 {
			t.Errorf("body over the request cap: %d", r.Status)
		}
		if r := postFiles(h, "/tickets", url.Values{"subject": {""}, "body": {""}, "form_token": {"empty"}}); r.Status != 400 {
			t.Errorf("empty form: %d", r.Status)
		}
		other, _, _ := h.App.Tickets.Open(ctx, system, ticket.OpenInput{Subject: "Secret de Bob", Body: "b", CustomerEmail: "bob@example.com"})
		before := len(mustArticles(t, h, other.Number))
		for _, tc := range []struct {
			name string
			r    *servertest.Response
		}{
			{"view", h.Do(servertest.Request{Path: "/tickets/" + other.Number})},
			{"reply", postFiles(h, "/tickets/"+other.Number+"/reply", url.Values{"body": {"intrus"}})},
			{"close", post(h, "/tickets/"+other.Number+"/close", nil)},
			{"file of another ticket", h.Do(servertest.Request{Path: "/tickets/" + other.Number + "/files/" + files["photo.png"]})},
			{"my ticket, unknown file", h.Do(servertest.Request{Path: "/tickets/" + number + "/files/nope"})},
			{"unknown ticket", h.Do(servertest.Request{Path: "/tickets/ZZZZZ"})},
		} {
			if tc.r.Status != 404 || strings.Contains(tc.r.Body, "Secret de Bob") {
				t.Errorf("%s of another customer's ticket: %d", tc.name, tc.r.Status)
			}
		}
		if after := len(mustArticles(t, h, other.Number)); after != before {
			t.Errorf("another customer's ticket was written to: %d → %d articles", before, after)
		}
		if tk, _ := h.App.Tickets.Get(ctx, ticket.AllQueues(), other.Number); tk.State == ticket.Closed {
			t.Error("another customer's ticket was closed")
		}
	})
}

func TestCloseAndReopen(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		signIn(t, h, "ana@example.com")
		number := openTicket(t, h, "Écran")
		if r := post(h, "/tickets/"+number+"/close", nil); r.Status != 303 {
			t.Fatalf("close: %d", r.Status)
		}
		closed := h.Do(servertest.Request{Path: "/tickets/" + number + "?notice=portal.ticket.closed_ok"})
		mustContain(t, closed, "Votre demande est fermée.", "Rouvrir cette demande", "Fermé")
		mustNotContain(t, closed, `action="/tickets/`+number+`/reply"`)
		if r := postFiles(h, "/tickets/"+number+"/reply", url.Values{"body": {"encore"}}); r.Status != http.StatusConflict {
			t.Errorf("reply to a closed ticket: %d", r.Status)
		}
		if r := post(h, "/tickets/"+number+"/reopen", nil); r.Status != 303 {
			t.Fatalf("reopen: %d %s", r.Status, r.Body)
		}
		pol := settings.DefaultHelpdesk()
		pol.ReopenDays = 0
		h.App.Settings.SaveHelpdesk(ctx, pol)
		post(h, "/tickets/"+number+"/close", nil)
		page := h.Do(servertest.Request{Path: "/tickets/" + number})
		mustContain(t, page, "ne peuvent pas être rouvertes")
		mustNotContain(t, page, "Rouvrir cette demande")
		if r := post(h, "/tickets/"+number+"/reopen", nil); r.Status != http.StatusForbidden {
			t.Errorf("reopen with the window off: %d", r.Status)
		}
	})
}

func TestSignedLinks(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		signIn(t, h, "ana@example.com")
		number := openTicket(t, h, "Lien")
		agentReply(t, h, number, ticket.Internal, "note interne")
		agentReply(t, h, number, ticket.Public, "Voici la réponse")
		runJobs(t, h)
		msgs, _ := h.App.MailSink.List(ctx, "ana@example.com", 10)
		var link string
		kinds := map[string]int{}
		for _, m := range msgs {
			kinds[m.Kind]++
			if m.Kind == "reply" {
				if !strings.Contains(m.Subject, "[#"+number+"]") || !strings.Contains(m.Text, "Voici la réponse") || strings.Contains(m.Text, "note interne") {
					t.Errorf("reply mail: %+v", m)
				}
				link = regexpLink.FindString(m.Text)
			}
		}
		if kinds["ticket_created"] != 1 || kinds["reply"] != 1 || kinds["code"] != 1 {
			t.Fatalf("mails sent: %v (want one code, one acknowledgement, one reply; none for the internal note)", kinds)
		}
		path := strings.TrimPrefix(link, "http://localhost:8080")
		newBrowser(h) // a mail reader who is not signed in
		r := h.Do(servertest.Request{Path: path})
		if r.Status != 200 || r.Header.Get("Referrer-Policy") != "no-referrer" || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("link page: %d %v", r.Status, r.Header)
		}
		mustContain(t, r, "Voici la réponse", "Se connecter pour répondre", "Fermer cette demande")
		mustNotContain(t, r, "note interne", `/reply"`)
		token := path[strings.LastIndex(path, "/")+1:]
		notFound := h.Do(servertest.Request{Path: "/t/ZZZZZ/" + token})
		for name, p := range map[string]string{
			"short token": "/t/" + number + "/" + token[:21], "long token": "/t/" + number + "/" + token + "x",
			"flipped": "/t/" + number + "/" + flipFirst(token), "lower case": "/t/" + number + "/" + strings.ToLower(token),
			"other number": "/t/ZZZZZ/" + token,
		} {
			got := h.Do(servertest.Request{Path: p})
			if got.Status != 404 || stripVolatile(got.Body) != stripVolatile(notFound.Body) {
				t.Errorf("%s: %d, want the uniform 404", name, got.Status)
			}
		}
		if r := post(h, path+"/close", nil); r.Status != 303 {
			t.Fatalf("close by link: %d", r.Status)
		}
		if r := post(h, path+"/reopen", nil); r.Status != 303 {
			t.Fatalf("reopen by link: %d", r.Status)
		}
		if r := post(h, "/t/"+number+"/"+flipFirst(token)+"/close", nil); r.Status != 404 {
			t.Errorf("close with a bad token: %d", r.Status)
		}
		h.App.Limits.Reset(ctx, "code_send:ana@example.com", rule1min) // the sign-in code of a minute ago
		r = post(h, path+"/signin", nil)
		if r.Status != 303 || !strings.Contains(r.Header.Get("Location"), "/signin/code") {
			t.Fatalf("sign in to reply: %d %s", r.Status, r.Header.Get("Location"))
		}
		h.App.Tickets.RotateLink(ctx, ticket.AllQueues(), system, number)
		if r := h.Do(servertest.Request{Path: path}); r.Status != 404 {
			t.Errorf("link after rotation: %d", r.Status)
		}
	})
}

func TestPagesAndHeaders(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		nf := h.Do(servertest.Request{Path: "/no/such/page"})
		if nf.Status != 404 || !strings.Contains(nf.Body, "Page introuvable") {
			t.Errorf("404 page: %d", nf.Status)
		}
		en := h.Do(servertest.Request{Path: "/no/such/page", Headers: map[string]string{"Accept-Language": "en-GB,en;q=0.9"}})
		mustContain(t, en, "Page not found", `lang="en"`)
		if api := h.Do(servertest.Request{Path: "/api/v1/nope"}); !strings.HasPrefix(api.Header.Get("Content-Type"), "application/json") {
			t.Errorf("API 404 is not JSON: %s", api.Header.Get("Content-Type"))
		}
		mustContain(t, h.Do(servertest.Request{Path: "/signin?lang=en"}), "Send me a code")
		mustContain(t, h.Do(servertest.Request{Path: "/signin"}), "Send me a code") // the choice is remembered
		for _, p := range []string{"/signin", "/no/such/page", "/tickets/new"} {
			r := h.Do(servertest.Request{Path: p})
			csp := r.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s headers: %v", p, r.Header)
			}
		}
		pol := settings.DefaultHelpdesk()
		pol.EmbedOrigins = []string{"https://intranet.example.com"}
		h.App.Settings.SaveHelpdesk(ctx, pol)
		r := h.Do(servertest.Request{Path: "/signin"})
		if !strings.Contains(r.Header.Get("Content-Security-Policy"), "frame-ancestors https://intranet.example.com") || r.Header.Get("X-Frame-Options") != "" {
			t.Errorf("embedding: %v", r.Header)
		}
	})
}
