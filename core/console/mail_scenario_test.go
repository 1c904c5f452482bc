package console_test

import (
	"net/http"
	"testing"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/mail"
	"github.com/guichet/guichet/core/server"
	"github.com/guichet/guichet/core/server/servertest"
)

func TestMailSinkViewer(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		dbtest.Must(t, h.App.MailSink.Send(ctx, mail.Message{Kind: "ticket_created", To: "ana@example.com", Subject: "Votre demande <n°1>",
			Text: "Bonjour Ana,\nvotre code : 123456", HTML: `<p style="color:red">Bonjour</p><script>alert(1)</script><img src="http://evil.example/pixel">`}))
		msgs, err := h.App.MailSink.List(ctx, "", 1)
		dbtest.Must(t, err)
		one := "/console/settings/mail/" + itoa(msgs[0].ID)
		runScenarios(t, w, []scenario{
			{name: "signed out: to sign-in", as: "", path: "/console/settings/mail", status: http.StatusSeeOther},
			{name: "agent: 404", as: "writer@example.com", path: "/console/settings/mail", status: http.StatusNotFound, notWant: []string{"ana@example.com"}},
			{name: "agent: no message", as: "writer@example.com", path: one, status: http.StatusNotFound, notWant: []string{"123456"}},
			{name: "agent: no HTML part", as: "writer@example.com", path: one + "/html", status: http.StatusNotFound, notWant: []string{"<script>"}},
			{name: "admin: list, and why mail stays here", as: "admin@example.com", path: "/console/settings/mail", status: http.StatusOK,
				want: []string{"ana@example.com", "Votre demande &lt;n°1&gt;", `href="` + one + `"`, "Aucun serveur SMTP n&#39;est configuré", "GUICHET_SMTP_URL", `href="/console/settings/mail"`}},
			{name: "admin: one message, HTML never inline", as: "admin@example.com", path: one, status: http.StatusOK,
				want: []string{"votre code : 123456", `<iframe class="mailhtml" sandbox="" referrerpolicy="no-referrer" src="` + one + `/html"`,
					"&lt;script&gt;alert(1)&lt;/script&gt;", `&lt;p style=&#34;color:red&#34;&gt;`},
				notWant: []string{"<script>alert(1)", `<img src="http://evil`}},
			{name: "admin: the HTML part, sandboxed by its CSP", as: "admin@example.com", path: one + "/html", status: http.StatusOK,
				want:   []string{"<script>alert(1)</script>"},
				header: map[string]string{"Content-Security-Policy": "sandbox; default-src 'none'", "Content-Type": "text/html"}},
			{name: "admin: the frame is ours only", as: "admin@example.com", path: one + "/html", status: http.StatusOK,
				header: map[string]string{"Content-Security-Policy": "frame-ancestors 'self'"}},
			{name: "admin: unknown message", as: "admin@example.com", path: "/console/settings/mail/999999", status: http.StatusNotFound},
			{name: "admin: not a number", as: "admin@example.com", path: "/console/settings/mail/abc", status: http.StatusNotFound},
		})
	})
}

func TestMailSinkViewerWithSMTP(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		runScenarios(t, w, []scenario{
			{name: "SMTP configured: the page says so", as: "admin@example.com", path: "/console/settings/mail", status: http.StatusOK,
				want: []string{"SMTP est configuré", "Aucun courriel gardé."}, notWant: []string{"Aucun serveur SMTP"}},
		})
	}, func(o *server.Options) { o.SMTPURL = "smtp://127.0.0.1:2525" })
}
