package console_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

const marie = "marie.leroy@client-exemple.fr"

// marieTicket opens, in queue A, a ticket from the customer the fake
// Dolibarr knows, whose text is full of her personal data.
func marieTicket(t *testing.T, w *world) *ticket.Ticket {
	t.Helper()
	tk, _, err := w.h.App.Tickets.Open(ctx, audit.Actor{Type: audit.ByAPIKey, ID: 1}, ticket.OpenInput{
		Subject: "Presse en panne", CustomerEmail: marie, CustomerName: "Marie Leroy", QueueID: w.qa,
		Body: "Bonjour, c'est Marie Leroy. Écrivez-moi à " + marie + " ou appelez le 06 12 34 56 78. <b>Merci</b>"})
	dbtest.Must(t, err)
	return tk
}

// enablePlugin enables a plugin as an admin through the console and waits
// until it runs.
func enablePlugin(t *testing.T, w *world, id string) {
	t.Helper()
	signIn(t, w.h, "admin@example.com")
	if r := post(t, w.h, "/console/plugins/"+id+"/enable", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("enable %s: %d %s", id, r.Status, r.Body)
	}
	waitPlugin(t, w.h, id, pluginhost.StateRunning)
}

func TestCustomerDataPanel(t *testing.T) {
	// Every lookup asks the ERP, so stopping it shows the cached copy at once.
	opts := withPlugins(t, time.Nanosecond, "erplookup")
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		erp, _ := fakeDolibarr(t)
		tk := marieTicket(t, w)
		runScenarios(t, w, []scenario{
			{name: "no plugin enabled: no ERP panel", as: "writer@example.com", path: "/console/tickets/" + tk.Number, status: http.StatusOK,
				notWant: []string{`id="erp"`, "customer-data", "ai-preview"}},
			{name: "no plugin enabled: the endpoint says so", as: "writer@example.com", path: "/console/tickets/" + tk.Number + "/customer-data?part=1", status: http.StatusOK,
				want: []string{"Aucune extension ne fournit de données client."}},
		})
		startPlugins(t, h)
		enablePlugin(t, w, "erplookup")
		r := post(t, h, "/console/plugins/erplookup/settings", url.Values{"s.connector": {"dolibarr"}, "s.base_url": {erp.URL + "/api/index.php"},
			"s.api_key": {dolibarrKey}, "s.allow_cidrs": {"127.0.0.1/32"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save settings: %d %s", r.Status, r.Body)
		}
		panel := "/console/tickets/" + tk.Number + "/customer-data"
		runScenarios(t, w, []scenario{
			{name: "ticket view renders without the ERP data, with a link and the loader", as: "writer@example.com", path: "/console/tickets/" + tk.Number, status: http.StatusOK,
				want:    []string{`<section class="erp" id="erp">`, `<a href="` + panel + `" data-part>`, `/assets/erppanel.`},
				notWant: []string{"Imprimerie Leroy"}},
			{name: "panel fragment for the script", as: "writer@example.com", path: panel + "?part=1", status: http.StatusOK,
				want:    []string{"Imprimerie Leroy &amp; Fils", "Paul Girard", "Presse numérique X500", "<code>PRN-X500</code>", "garantie terminée le 2025-11-0", "Massicot FIN-220", "Données du "},
				notWant: []string{"<html", "ERP injoignable"}},
			{name: "the same as a page without JavaScript", as: "writer@example.com", path: panel, status: http.StatusOK,
				want: []string{"<html", "Imprimerie Leroy &amp; Fils", "Retour au ticket"}},
			{name: "reader may see it", as: "reader@example.com", path: panel + "?part=1", status: http.StatusOK, want: []string{"Imprimerie Leroy &amp; Fils"}},
			{name: "in English", as: "reader@example.com", path: panel + "?part=1", headers: map[string]string{"Accept-Language": "en"}, status: http.StatusOK,
				want: []string{"Organization", "warranty ended on 2025-11-0", "Data from "}},
			{name: "agent without access to the queue: 404", as: "none@example.com", path: panel, status: http.StatusNotFound, notWant: []string{"Imprimerie"}},
			{name: "agent without access: 404 on the fragment", as: "none@example.com", path: panel + "?part=1", status: http.StatusNotFound, notWant: []string{"Imprimerie"}},
			{name: "unknown ticket: 404", as: "writer@example.com", path: "/console/tickets/NOPE-1/customer-data", status: http.StatusNotFound},
			{name: "signed out: to sign-in", as: "", path: panel, status: http.StatusSeeOther},
			{name: "customer unknown to the ERP", as: "writer@example.com", path: "/console/tickets/{a}/customer-data?part=1", status: http.StatusOK,
				want: []string{"Ce client est inconnu de l&#39;ERP."}},
		})
		erp.Close() // the ERP goes away
		runScenarios(t, w, []scenario{
			{name: "ERP stopped: cached data with its age", as: "writer@example.com", path: panel + "?part=1", status: http.StatusOK,
				want: []string{"Imprimerie Leroy &amp; Fils", "(à l’instant), ERP injoignable.", "Données du "}},
			{name: "ERP stopped, nothing cached", as: "writer@example.com", path: "/console/tickets/{a}/customer-data?part=1", status: http.StatusOK,
				want: []string{"ERP injoignable et aucune donnée en cache."}},
			{name: "ERP stopped: the ticket view is unaffected", as: "writer@example.com", path: "/console/tickets/" + tk.Number, status: http.StatusOK,
				want: []string{"Presse en panne", `id="erp"`}},
		})
	}, opts)
}

func TestAIPreview(t *testing.T) {
	opts := withPlugins(t, 0, "anonymizer")
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		tk := marieTicket(t, w)
		preview := "/console/tickets/" + tk.Number + "/ai-preview"
		signIn(t, h, "writer@example.com")
		if r := post(t, h, "/console/tickets/"+tk.Number+"/articles", url.Values{"kind": {"internal"}, "body": {"Rappeler " + marie + " demain <script>alert(1)</script>"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("note: %d %s", r.Status, r.Body)
		}
		pii := []string{marie, "06 12 34 56 78", "Marie Leroy", "Leroy"}
		runScenarios(t, w, []scenario{
			{name: "no anonymizer: fails closed", as: "writer@example.com", path: preview, status: http.StatusServiceUnavailable,
				want: []string{"Rien ne peut être envoyé", "Aucune extension d&#39;anonymisation"}, notWant: append(pii, `class="leaves"`)},
		})
		startPlugins(t, h)
		enablePlugin(t, w, "anonymizer")
		runScenarios(t, w, []scenario{
			{name: "ticket view links to the preview", as: "writer@example.com", path: "/console/tickets/" + tk.Number, status: http.StatusOK,
				want: []string{`<a href="` + preview + `">`}},
			{name: "preview: anonymized conversation, public and internal, escaped", as: "writer@example.com", path: preview, status: http.StatusOK,
				want:    []string{`<pre class="leaves">`, "[EMAIL_1]", "[PHONE_1]", "--- public · customer ·", "--- internal · agent ·", "Rappeler [EMAIL_1] demain", "&lt;script&gt;alert(1)&lt;/script&gt;", "par l&#39;extension anonymizer"},
				notWant: append(pii, "<script>alert(1)")},
			{name: "reader sees the same", as: "reader@example.com", path: preview, status: http.StatusOK, want: []string{"[EMAIL_1]"}, notWant: pii},
			{name: "agent without access to the queue: 404", as: "none@example.com", path: preview, status: http.StatusNotFound, notWant: pii},
			{name: "signed out: to sign-in", as: "", path: preview, status: http.StatusSeeOther},
			{name: "admin disables the anonymizer", as: "admin@example.com", method: "POST", path: "/console/plugins/anonymizer/disable", status: http.StatusSeeOther},
			{name: "disabled: fails closed, nothing shown", as: "writer@example.com", path: preview, status: http.StatusServiceUnavailable,
				want: []string{"Rien ne peut être envoyé"}, notWant: append(pii, "[EMAIL_1]", `class="leaves"`)},
			{name: "disabled: no link on the ticket", as: "writer@example.com", path: "/console/tickets/" + tk.Number, status: http.StatusOK, notWant: []string{"ai-preview"}},
		})
	}, opts)
}
