package console_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
)

func TestAdminPagesAndActions(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		const wr, ad = "writer@example.com", "admin@example.com"
		runScenarios(t, w, []scenario{
			{name: "admin pages are hidden from agents", as: wr, path: "/console/agents", status: 404},
			{name: "agents cannot create agents", as: wr, method: "POST", path: "/console/agents", form: url.Values{"name": {"x"}}, status: 404},
			{name: "agents cannot read settings", as: wr, path: "/console/settings/apikeys", status: 404},
			{name: "my preferences", as: wr, path: "/console/me", status: 200, want: []string{"Atelier", "lecture et écriture", `name="subscribe"`}},
			{name: "subscribe and choose English", as: wr, method: "POST", path: "/console/me", form: url.Values{"language": {"en"}, "subscribe": {"2"}}, status: 303},
			{name: "the console speaks the agent's language", as: wr, path: "/console/me", status: 200, want: []string{"Sign out", "My preferences", `lang="en"`, "checked"}},
			{name: "wrong current password", as: wr, method: "POST", path: "/console/me/password", form: url.Values{"current": {"nope"}, "password": {"a new long password"}}, status: 400, want: []string{"current"}},
			{name: "too short a new password", as: wr, method: "POST", path: "/console/me/password", form: url.Values{"current": {password}, "password": {"short"}}, status: 400},
			{name: "agent list", as: ad, path: "/console/agents", status: 200, want: []string{"writer@example.com", "Ajouter un agent"}},
			{name: "create an agent", as: ad, method: "POST", path: "/console/agents", form: url.Values{"name": {"Zoé"}, "email": {"zoe@example.com"}, "role": {"agent"}, "password": {password}}, status: 303, header: map[string]string{"Location": "/console/agents/5"}},
			{name: "an address already used", as: ad, method: "POST", path: "/console/agents", form: url.Values{"name": {"Zoé"}, "email": {"zoe@example.com"}, "role": {"agent"}, "password": {password}}, status: 400, want: []string{"email"}},
			{name: "an invalid agent names each field", as: ad, method: "POST", path: "/console/agents", form: url.Values{"email": {"nope"}, "role": {"boss"}}, status: 400, want: []string{"email", "role", "password", "name"}},
			{name: "agent page", as: ad, path: "/console/agents/5", status: 200, want: []string{"Zoé", "access_2", "Désactiver"}},
			{name: "edit an agent", as: ad, method: "POST", path: "/console/agents/5", form: url.Values{"name": {"Zoé R."}, "email": {"zoe@example.com"}, "role": {"agent"}, "language": {"en"}}, status: 303},
			{name: "give read-write on a queue", as: ad, method: "POST", path: "/console/agents/5/queues", form: url.Values{"access_2": {"write"}, "access_3": {"read"}}, status: 303},
			{name: "access shows", as: ad, path: "/console/agents/5", status: 200, want: []string{`value="write" selected`, `value="read" selected`, "Zoé R."}},
			{name: "bad access level", as: ad, method: "POST", path: "/console/agents/5/queues", form: url.Values{"access_2": {"owner"}}, status: 400},
			{name: "the last admin stays", as: ad, method: "POST", path: "/console/agents/1/disable", form: url.Values{"disabled": {"1"}}, status: 409},
			{name: "disable an agent", as: ad, method: "POST", path: "/console/agents/5/disable", form: url.Values{"disabled": {"1"}}, status: 303},
			{name: "no such agent", as: ad, path: "/console/agents/999", status: 404},
			{name: "queues", as: ad, path: "/console/queues", status: 200, want: []string{"Atelier", "Bureau", "Support"}},
			{name: "create a queue", as: ad, method: "POST", path: "/console/queues", form: url.Values{"name": {"Réseau"}, "description": {"Wi-Fi et VPN"}, "visible": {"1"}, "default_type": {"service_request"}}, status: 303},
			{name: "a queue needs a name", as: ad, method: "POST", path: "/console/queues", form: url.Values{"name": {" "}, "default_type": {"bug"}}, status: 400, want: []string{"name", "default_type"}},
			{name: "queue page", as: ad, path: "/console/queues/4", status: 200, want: []string{"Wi-Fi et VPN", `value="service_request" selected`}},
			{name: "edit a queue", as: ad, method: "POST", path: "/console/queues/4", form: url.Values{"name": {"Réseau"}, "description": {"VPN"}, "default_type": {"incident"}}, status: 303},
			{name: "the edited queue is hidden from customers", as: ad, path: "/console/queues", status: 200, want: []string{"VPN</td>\n<td>non"}},
			{name: "helpdesk settings", as: ad, path: "/console/settings", status: 200, want: []string{`name="auto_close_days" value="7"`, "jpg, jpeg"}},
			{name: "settings name each bad field", as: ad, method: "POST", path: "/console/settings",
				form: url.Values{"auto_close_days": {"-4"}, "reopen_days": {"x"}, "max_attachment_mb": {"0"}, "default_language": {"fr"}}, status: 400, want: []string{"reopen_days"}},
			{name: "settings refuse active content", as: ad, method: "POST", path: "/console/settings",
				form: url.Values{"auto_close_days": {"3"}, "reopen_days": {"-1"}, "max_attachment_mb": {"5"}, "default_language": {"en"}, "allowed_extensions": {"pdf, svg"}}, status: 400, want: []string{"allowed_extensions"}},
			{name: "save settings", as: ad, method: "POST", path: "/console/settings",
				form: url.Values{"auto_close_days": {"3"}, "reopen_days": {"-1"}, "max_attachment_mb": {"5"}, "default_language": {"en"}, "allowed_extensions": {"pdf, png"}, "attachments_enabled": {"1"}, "embed_origins": {"https://intranet.example.com"}}, status: 303},
			{name: "settings saved", as: ad, path: "/console/settings", status: 200, want: []string{`value="3"`, "pdf, png", "https://intranet.example.com"}},
			{name: "brand page", as: ad, path: "/console/settings/brand", status: 200, want: []string{`value="Guichet"`, `type="color"`}},
			{name: "brand colours are checked", as: ad, method: "POST", path: "/console/settings/brand", form: url.Values{"name": {"SAV"}, "primary": {"red"}, "accent": {"#00aa00"}}, status: 400, want: []string{"primary"}},
			{name: "save the brand", as: ad, method: "POST", path: "/console/settings/brand", form: url.Values{"name": {"SAV Écrans"}, "primary": {"#aa0000"}, "accent": {"#00aa00"}, "footer_text": {"Du lundi au vendredi"}}, status: 303},
			{name: "brand saved", as: ad, path: "/console/settings/brand", status: 200, want: []string{"SAV Écrans", "#aa0000", "Du lundi au vendredi"}},
			{name: "API keys", as: ad, path: "/console/settings/apikeys", status: 200, want: []string{"No keys."}}, // the default language is now English,
			{name: "create a key: shown once", as: ad, method: "POST", path: "/console/settings/apikeys", form: url.Values{"name": {"ERP"}, "scope": {"tickets:read"}}, status: 201, want: []string{"gch_", "it will never be shown again"}},
			{name: "the list never shows the secret", as: ad, path: "/console/settings/apikeys", status: 200, want: []string{"ERP", "never", "tickets:read"}, notWant: []string{"never be shown again"}},
			{name: "revoke", as: ad, method: "POST", path: "/console/settings/apikeys/1/revoke", status: 303},
			{name: "revoked", as: ad, path: "/console/settings/apikeys?done=revoked", status: 200, want: []string{"revoked", "Key revoked."}},
			{name: "revoke twice", as: ad, method: "POST", path: "/console/settings/apikeys/1/revoke", status: 404},
		})
		t.Run("the secret is shown once only", func(t *testing.T) {
			r := post(t, h, "/console/settings/apikeys", url.Values{"name": {"Once"}})
			_, rest, _ := strings.Cut(r.Body, `<code class="secret">`)
			secret, _, _ := strings.Cut(rest, "<")
			if len(secret) < 40 || !strings.HasPrefix(secret, "gch_") {
				t.Fatalf("no secret in the answer: %q", secret)
			}
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("the page with the secret may be cached: %q", r.Header.Get("Cache-Control"))
			}
			if strings.Contains(h.Do(servertest.Request{Path: "/console/settings/apikeys"}).Body, secret) {
				t.Error("the list shows the secret again")
			}
		})
		t.Run("API key last use shows", func(t *testing.T) {
			key := h.APIKey()
			if r := h.Do(servertest.Request{Path: "/api/v1/tickets", Key: key}); r.Status != 200 {
				t.Fatalf("API: %d", r.Status)
			}
			r := h.Do(servertest.Request{Path: "/console/settings/apikeys"})
			if !strings.Contains(r.Body, "<time datetime=") {
				t.Errorf("last use is not shown:\n%.2000s", r.Body)
			}
		})
	})
}

func TestFirstRunSetup(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		token, err := h.App.Agents.IssueSetupToken(ctx)
		if err != nil || token == "" {
			t.Fatalf("setup token: %q %v", token, err)
		}
		w := &world{h: h, ta: nil}
		form := url.Values{"name": {"Alice Admin"}, "email": {"alice@example.com"}, "password": {password}, "language": {"fr"}}
		steps := []scenario{
			{name: "sign-in points to the setup link", path: "/console/signin", status: 200, want: []string{"guichet serve"}},
			{name: "a wrong token", path: "/console/setup/not-the-token", status: 404},
			{name: "the setup form", path: "/console/setup/" + token, status: 200, want: []string{"Premier administrateur", `name="password"`}, header: map[string]string{"Referrer-Policy": "no-referrer"}},
			{name: "a too short password keeps the form", method: "POST", path: "/console/setup/" + token, form: url.Values{"name": {"Alice"}, "email": {"alice@example.com"}, "password": {"short"}}, status: 400, want: []string{"password", "alice@example.com"}},
			{name: "create the first admin and land in the console", method: "POST", path: "/console/setup/" + token, form: form, status: 303, header: map[string]string{"Location": "/console?done=created"}},
			{name: "signed in as the admin", as: "?", path: "/console/agents", status: 200, want: []string{"alice@example.com"}},
			{name: "the link died", as: "?", path: "/console/setup/" + token, status: 404},
			{name: "it cannot be replayed", as: "?", method: "POST", path: "/console/setup/" + token, form: url.Values{"name": {"Mallory"}, "email": {"m@example.com"}, "password": {password}}, status: 404},
		}
		runScenarios(t, w, steps)
	})
}
