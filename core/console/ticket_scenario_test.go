package console_test

import (
	"net/url"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
)

var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")

func TestTicketPagesAndActions(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		const wr, ad = "writer@example.com", "admin@example.com"
		runScenarios(t, w, []scenario{
			{name: "home groups by state with counts", as: wr, path: "/console", status: 200,
				want:    []string{"Imprimante en panne", `id="g-new"`, "Nouveau", "Mes tickets", "Non attribués", "ana@example.com", "Atelier", "<time datetime=", "API"},
				notWant: []string{"Facture en double"}},
			{name: "the list refreshes itself", as: wr, path: "/console", status: 200, want: []string{`data-live="/console/live"`, "/assets/console."}},
			{name: "search by subject", as: ad, path: "/console?q=facture", status: 200, want: []string{"Facture en double"}, notWant: []string{"Imprimante en panne"}},
			{name: "search by customer email", as: ad, path: "/console?q=ana@example", status: 200, want: []string{"Imprimante en panne"}, notWant: []string{"Facture en double"}},
			{name: "search by number", as: ad, path: "/console?q={b}", status: 200, want: []string{"Facture en double"}, notWant: []string{"Imprimante en panne"}},
			{name: "LIKE wildcards match literally", as: ad, path: "/console?q=%25", status: 200, notWant: []string{"Facture en double", "Imprimante en panne"}},
			{name: "facet: unassigned", as: ad, path: "/console?owner=none", status: 200, want: []string{"Facture en double", `aria-current="true"`}},
			{name: "facet: mine", as: ad, path: "/console?owner=mine", status: 200, notWant: []string{"Facture en double"}},
			{name: "facet: a state shows one group with pages", as: ad, path: "/console?state=new&sort=priority", status: 200, want: []string{"Facture en double"}, notWant: []string{`id="g-open"`}},
			{name: "sort outside the allowlist", as: ad, path: "/console?sort=password_hash", status: 400},
			{name: "a forged cursor", as: ad, path: "/console?state=new&cursor=AAAA", status: 400},
			{name: "unknown state", as: ad, path: "/console?state=deleted", status: 400},
			{name: "ticket view", as: wr, path: "/console/tickets/{a}", status: 200,
				want: []string{"Imprimante en panne", "ça ne marche pas", "Prendre ce ticket", "ana@example.com", "Historique", "ticket ouvert", `name="files"`}},
			{name: "an empty reply keeps the form", as: wr, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"public"}, "body": {"  "}}, status: 400, want: []string{"body"}},
			{name: "reply with an image", as: wr, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"public"}, "body": {"Voici la marche à suivre."}},
				files: map[string][]byte{"capture.png": png1x1}, status: 303},
			{name: "a file type outside the policy keeps the draft", as: wr, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"public"}, "body": {"Brouillon gardé"}},
				files: map[string][]byte{"run.exe": []byte("MZ")}, status: 400, want: []string{"Brouillon gardé"}},
			{name: "internal note", as: wr, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"internal"}, "body": {"Voir avec le fournisseur"}}, status: 303},
			{name: "reply and note look different, images inline", as: wr, path: "/console/tickets/{a}", status: 200,
				want: []string{`class="msg internal by-agent"`, `class="msg public by-agent"`, "Voir avec le fournisseur", "?inline=1", `alt="capture.png"`, "En cours"}},
			{name: "take the ticket", as: wr, method: "POST", path: "/console/tickets/{a}/lock", status: 303},
			{name: "the holder sees it", as: wr, path: "/console/tickets/{a}?done=locked", status: 200, want: []string{"Vous traitez ce ticket.", "Vous avez pris ce ticket."}},
			{name: "the list shows the lock", as: ad, path: "/console", status: 200, want: []string{`class="lock"`, "writer traite ce ticket."}},
			{name: "others see who holds it", as: ad, path: "/console/tickets/{a}", status: 200, want: []string{"writer traite ce ticket.", "Reprendre le ticket"}},
			{name: "others cannot reply", as: ad, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"public"}, "body": {"moi aussi"}}, status: 409, want: []string{"writer", "moi aussi"}},
			{name: "others cannot change it", as: ad, method: "POST", path: "/console/tickets/{a}", form: url.Values{"priority": {"1"}}, status: 409},
			{name: "others may leave a note", as: ad, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"internal"}, "body": {"pour info"}}, status: 303},
			{name: "explicit take-over", as: ad, method: "POST", path: "/console/tickets/{a}/takeover", status: 303},
			{name: "after a take-over the new holder replies", as: ad, method: "POST", path: "/console/tickets/{a}/articles", form: url.Values{"kind": {"public"}, "body": {"C’est réglé."}}, status: 303},
			{name: "change state, priority, type", as: ad, method: "POST", path: "/console/tickets/{a}", form: url.Values{"state": {"resolved"}, "priority": {"4"}, "type": {"problem"}}, status: 303},
			{name: "history shows changes", as: ad, path: "/console/tickets/{a}", status: 200, want: []string{"a repris le ticket", "Résolu", "priorité", "3</span> → 4", "Nouveau</span> → En cours"}},
			{name: "owner must have write access", as: ad, method: "POST", path: "/console/tickets/{b}", form: url.Values{"owner": {"3"}}, status: 400, want: []string{"owner"}},
			{name: "move to another queue", as: ad, method: "POST", path: "/console/tickets/{b}", form: url.Values{"queue": {"2"}}, status: 303},
			{name: "customer panel lists other tickets", as: ad, path: "/console/tickets/{b}", status: 200, want: []string{"bob@example.org", "Client"}},
			{name: "attachments download, never inline unless a safe image", as: ad, path: "/console/tickets/{a}", status: 200},
			{name: "unknown ticket", as: ad, path: "/console/tickets/ZZZZZ", status: 404, want: []string{"Cette page n’existe pas"}},
			{name: "live: the list's version", as: ad, path: "/console/live", status: 200, want: []string{`"version"`}, header: map[string]string{"ETag": `"`, "Cache-Control": "no-cache"}},
		})
		t.Run("live answers 304 while nothing changed, then 200", func(t *testing.T) {
			r := h.Do(servertest.Request{Path: "/console/live"})
			etag := r.Header.Get("ETag")
			if r2 := h.Do(servertest.Request{Path: "/console/live", Headers: map[string]string{"If-None-Match": etag}}); r2.Status != 304 {
				t.Errorf("unchanged: %d, want 304", r2.Status)
			}
			mustTicket(t, h, w.qa, "Nouveau ticket", "zoe@example.com")
			if r3 := h.Do(servertest.Request{Path: "/console/live", Headers: map[string]string{"If-None-Match": etag}}); r3.Status != 200 || r3.Header.Get("ETag") == etag {
				t.Errorf("after a new ticket: %d with ETag %s, want 200 and a new ETag", r3.Status, r3.Header.Get("ETag"))
			}
		})
		t.Run("attachments: images inline on request, everything else as a download", func(t *testing.T) {
			arts, _ := h.App.Tickets.Articles(ctx, allQueues, w.ta)
			var img, txt string
			for _, a := range arts {
				for _, f := range a.Attachments {
					if f.ContentType == "image/png" {
						img = f.PublicID
					}
				}
			}
			txt = mustAttachment(t, h, w.ta)
			cases := []struct{ name, id, query, want string }{
				{"image shown inline", img, "?inline=1", "inline"},
				{"image downloaded by default", img, "", "attachment"},
				{"text never inline", txt, "?inline=1", "attachment"},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					r := h.Do(servertest.Request{Path: "/console/tickets/" + w.ta.Number + "/attachments/" + tc.id + tc.query})
					if r.Status != 200 || !hasPrefix(r.Header.Get("Content-Disposition"), tc.want) ||
						r.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
						t.Errorf("%d %v", r.Status, r.Header)
					}
				})
			}
		})
	})
}
