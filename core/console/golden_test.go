package console_test

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/server/servertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	reNonce  = regexp.MustCompile(`nonce="[^"]+"`)
	reCSRF   = regexp.MustCompile(`name="csrf" value="[^"]+"`)
	reTime   = regexp.MustCompile(`<time [^>]*>[^<]*</time>`)
	reAsset  = regexp.MustCompile(`/assets/([a-z]+)\.[0-9a-f]{10}\.([a-z]+)`)
	reAttach = regexp.MustCompile(`/attachments/[A-Za-z0-9_-]+`)
)

// stable strips what changes from run to run (nonces, tokens, times, asset
// hashes, random ticket numbers) so a golden file pins only the markup.
func stable(body string, numbers ...string) string {
	body = reNonce.ReplaceAllString(body, `nonce="NONCE"`)
	body = reCSRF.ReplaceAllString(body, `name="csrf" value="CSRF"`)
	body = reTime.ReplaceAllString(body, `<time>TIME</time>`)
	body = reAsset.ReplaceAllString(body, `/assets/$1.HASH.$2`)
	body = reAttach.ReplaceAllString(body, `/attachments/ID`)
	for i, n := range numbers {
		body = strings.ReplaceAll(body, n, fmt.Sprintf("NUM%02d", i+1))
	}
	return body
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.html")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./core/console -run TestGolden -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s; if the change is intended, rerun with -update.\n%s", name, path, firstDiff(string(want), got))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// TestGolden pins the list and the ticket view; both dialects must render
// the same page.
func TestGolden(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		signIn(t, h, "writer@example.com")
		post(t, h, "/console/tickets/"+w.ta.Number+"/lock", nil)
		post(t, h, "/console/tickets/"+w.ta.Number+"/articles", map[string][]string{"kind": {"public"}, "body": {"Avez-vous redémarré l’imprimante ?"}})
		post(t, h, "/console/tickets/"+w.ta.Number+"/articles", map[string][]string{"kind": {"internal"}, "body": {"Modèle <b>HP</b> 4250"}})
		third := mustTicket(t, h, w.qa, "Écran noir", "ana@example.com")
		nums := []string{w.ta.Number, w.tb.Number, third.Number}
		signIn(t, h, "admin@example.com")
		golden(t, "ticket_list", stable(h.Do(servertest.Request{Path: "/console"}).Body, nums...))
		golden(t, "ticket_show", stable(h.Do(servertest.Request{Path: "/console/tickets/" + w.ta.Number}).Body, nums...))
	})
}

// TestPageBudget keeps every console page, HTML + CSS + JS, within 60 KB
// gzipped, with a full list on the home page.
func TestPageBudget(t *testing.T) {
	const budget = 60 << 10
	h := servertest.New(t, "sqlite")
	w := newWorld(t, h)
	for i := 0; i < 80; i++ {
		mustTicket(t, h, w.qa+int64(i%2), fmt.Sprintf("Ticket de charge numéro %d avec un sujet assez long pour remplir la colonne", i), fmt.Sprintf("client%d@example.com", i))
	}
	signIn(t, h, "admin@example.com")
	home := h.Do(servertest.Request{Path: "/console"}).Body
	css := fetchAsset(t, h, home, "console", "css")
	js := fetchAsset(t, h, home, "console", "js")
	assets := gz(css) + gz(js)
	t.Logf("console.css %d B gzip, console.js %d B gzip", gz(css), gz(js))
	pages := []string{"/console", "/console?state=new", "/console/tickets/" + w.ta.Number, "/console/me", "/console/agents",
		"/console/agents/2", "/console/queues", "/console/settings", "/console/settings/brand", "/console/settings/apikeys", "/console/signin"}
	for _, p := range pages {
		t.Run(p, func(t *testing.T) {
			r := h.Do(servertest.Request{Path: p})
			if r.Status != 200 {
				t.Fatalf("%s: %d", p, r.Status)
			}
			total := gz([]byte(r.Body)) + assets
			t.Logf("%-28s HTML %6d B gzip, total %6d B gzip", p, gz([]byte(r.Body)), total)
			if total > budget {
				t.Errorf("%s weighs %d B gzip with its CSS and JS, over the %d B budget", p, total, budget)
			}
		})
	}
	t.Run("the console loads only its own assets", func(t *testing.T) {
		for _, src := range regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`).FindAllStringSubmatch(home, -1) {
			if !reAsset.MatchString(src[1]) || !strings.Contains(src[1], "/console.") {
				t.Errorf("the console loads %s", src[1])
			}
		}
		if strings.Contains(home, "<style") || strings.Contains(home, "custom.css") {
			t.Error("the console page carries inline or custom styles")
		}
	})
}

func fetchAsset(t *testing.T, h *servertest.Harness, page, name, ext string) []byte {
	t.Helper()
	m := regexp.MustCompile(`/assets/` + name + `\.[0-9a-f]{10}\.` + ext).FindString(page)
	if m == "" {
		t.Fatalf("the page does not load %s.%s", name, ext)
	}
	r := h.Do(servertest.Request{Path: m})
	if r.Status != 200 {
		t.Fatalf("%s: %d", m, r.Status)
	}
	return []byte(r.Body)
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}
