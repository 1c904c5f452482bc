package console_test

import (
	"testing"
	"time"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/mail"
	"github.com/guichet/guichet/core/server/servertest"
)

// TestPluginPagesBudget keeps the plugin, ERP, AI preview and mail sink
// pages within the console's 60 KB gzip budget (HTML + CSS + JS), with both
// plugins installed and running and the ERP panel's script on the ticket.
func TestPluginPagesBudget(t *testing.T) {
	const budget = 60 << 10
	h := servertest.New(t, "sqlite", withPlugins(t, time.Minute, "anonymizer", "erplookup"))
	w := newWorld(t, h)
	startPlugins(t, h)
	enablePlugin(t, w, "anonymizer")
	enablePlugin(t, w, "erplookup")
	for i := 0; i < 30; i++ {
		dbtest.Must(t, h.App.MailSink.Send(ctx, mail.Message{Kind: "reply", To: "client@example.com", Subject: "Réponse à votre demande", Text: "Bonjour", HTML: "<p>Bonjour</p>"}))
	}
	msgs, err := h.App.MailSink.List(ctx, "", 1)
	dbtest.Must(t, err)
	ticketPage := h.Do(servertest.Request{Path: "/console/tickets/" + w.ta.Number}).Body
	assets := gz(fetchAsset(t, h, ticketPage, "console", "css")) + gz(fetchAsset(t, h, ticketPage, "console", "js")) + gz(fetchAsset(t, h, ticketPage, "erppanel", "js"))
	pages := []string{"/console/tickets/" + w.ta.Number, "/console/plugins", "/console/plugins/erplookup", "/console/plugins/anonymizer",
		"/console/tickets/" + w.ta.Number + "/customer-data", "/console/tickets/" + w.ta.Number + "/ai-preview",
		"/console/settings/mail", "/console/settings/mail/" + itoa(msgs[0].ID)}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			r := h.Do(servertest.Request{Path: p})
			if r.Status != 200 {
				t.Fatalf("%s: %d", p, r.Status)
			}
			total := gz([]byte(r.Body)) + assets
			t.Logf("%-40s HTML %6d B gzip, total %6d B gzip", p, gz([]byte(r.Body)), total)
			if total > budget {
				t.Errorf("%s weighs %d B gzip with its CSS and JS, over the %d B budget", p, total, budget)
			}
		})
	}
}

// TestPluginGolden pins the plugins list and the generated settings form;
// both dialects must render the same page.
func TestPluginGolden(t *testing.T) {
	opts := withPlugins(t, 0, "anonymizer", "erplookup")
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		newWorld(t, h)
		signIn(t, h, "admin@example.com")
		golden(t, "plugin_list", stable(h.Do(servertest.Request{Path: "/console/plugins"}).Body))
		golden(t, "plugin_show", stable(h.Do(servertest.Request{Path: "/console/plugins/erplookup"}).Body))
	}, opts)
}
