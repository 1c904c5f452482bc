package portal_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/server/servertest"
)

func TestBrandOnPages(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		// Before an admin saves a brand the portal keeps its own name.
		plain := h.Do(servertest.Request{Path: "/signin"})
		mustContain(t, plain, "<title>Connexion · Assistance</title>", `<a class="brand" href="/">Assistance</a>`, `href="/brand.css"`)
		mustNotContain(t, plain, `class="tagline"`, `class="brand-footer"`, "data:image")

		signIn(t, h, "ana@example.com")
		number := openTicket(t, h, "Écran noir")
		logo, err := brand.LogoDataURL(pngBytes())
		if err != nil {
			t.Fatal(err)
		}
		err = h.App.Brands.Save(ctx, brand.Brand{Name: "Écrans <script>alert(1)</script>", Logo: logo,
			Primary: "#aa0000", Accent: "#00aa00", HeaderText: "Du lundi au <b>vendredi</b>", FooterText: "Tél. 01 23 45 67 89 & courriel"})
		if err != nil {
			t.Fatal(err)
		}
		name := "Écrans &lt;script&gt;alert(1)&lt;/script&gt;"
		sum := sha256.Sum256([]byte(logo))
		logoURL := "/brand/logo?v=" + hex.EncodeToString(sum[:8])
		// The ticket page first, signed in; then the sign-in page as someone else.
		pages := []struct{ name, path, title string }{
			{"ticket", "/tickets/" + number, "Écran noir"},
			{"sign-in", "/signin", "Connexion"},
		}
		for _, pg := range pages {
			t.Run(pg.name, func(t *testing.T) {
				r := h.Do(servertest.Request{Path: pg.path})
				if r.Status != http.StatusOK {
					t.Fatalf("status %d", r.Status)
				}
				mustContain(t, r, "<title>"+pg.title+" · "+name+"</title>",
					`<a class="brand" href="/"><img src="`+logoURL+`" alt="">`+name+`</a>`,
					`<p class="tagline">Du lundi au &lt;b&gt;vendredi&lt;/b&gt;</p>`,
					`<p class="brand-footer">Tél. 01 23 45 67 89 &amp; courriel</p>`)
				// The logo is served on its own, never inlined: pages stay small.
				mustNotContain(t, r, "<script>alert(1)", "<b>vendredi", "Assistance", "data:image")
			})
			newBrowser(h)
		}
		img := h.Do(servertest.Request{Path: logoURL})
		if img.Status != http.StatusOK || img.Body != string(pngBytes()) || img.Header.Get("Content-Type") != "image/png" ||
			!strings.Contains(img.Header.Get("Cache-Control"), "immutable") || img.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("logo: %d %v (%d bytes)", img.Status, img.Header, len(img.Body))
		}
		if stale := h.Do(servertest.Request{Path: "/brand/logo?v=old"}); stale.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("an old version of the logo may be cached: %v", stale.Header)
		}
	})
}

func TestBrandStylesheet(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		get := func(inm string) *servertest.Response {
			return h.Do(servertest.Request{Path: "/brand.css", Headers: map[string]string{"If-None-Match": inm}})
		}
		unbranded := get("")
		if unbranded.Status != http.StatusOK || strings.Contains(unbranded.Body, "--primary") {
			t.Fatalf("before any brand: %d %q; the theme's colours should apply", unbranded.Status, unbranded.Body)
		}

		if err := h.App.Brands.Save(ctx, brand.Brand{Name: "SAV", Primary: "#aa0000", Accent: "#00aa00"}); err != nil {
			t.Fatal(err)
		}
		r := get("")
		if r.Status != http.StatusOK {
			t.Fatalf("brand.css: %d", r.Status)
		}
		etag := r.Header.Get("ETag")
		checks := []struct{ name, got, want string }{
			{"content type", r.Header.Get("Content-Type"), "text/css; charset=utf-8"},
			{"revalidated every time", r.Header.Get("Cache-Control"), "no-cache"},
			{"same-origin policy still set", r.Header.Get("X-Content-Type-Options"), "nosniff"},
			{"body", r.Body, ":root{--primary:#aa0000;--primary-fg:#ffffff;--accent:#00aa00;}\n" +
				// #aa0000 is too dark on the dark theme's backgrounds: lightened, with dark text on buttons.
				"@media (prefers-color-scheme:dark){:root{--primary:#d58080;--primary-fg:#0b1020;}}\n"},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
			}
		}
		if len(etag) < 10 || etag == unbranded.Header.Get("ETag") {
			t.Fatalf("ETag %q (unbranded %q) does not follow the colours", etag, unbranded.Header.Get("ETag"))
		}

		conditional := []struct {
			name, inm string
			status    int
		}{
			{"same tag", etag, http.StatusNotModified},
			{"weak form of the tag", "W/" + etag, http.StatusNotModified},
			{"among others", `"old", ` + etag, http.StatusNotModified},
			{"another tag", `"old"`, http.StatusOK},
			{"the unbranded tag", unbranded.Header.Get("ETag"), http.StatusOK},
		}
		for _, c := range conditional {
			t.Run(c.name, func(t *testing.T) {
				r := get(c.inm)
				if r.Status != c.status || r.Header.Get("ETag") != etag {
					t.Fatalf("If-None-Match %s: %d with ETag %q, want %d with %q", c.inm, r.Status, r.Header.Get("ETag"), c.status, etag)
				}
				if c.status == http.StatusNotModified && r.Body != "" {
					t.Errorf("304 with a body: %q", r.Body)
				}
			})
		}

		if err := h.App.Brands.Save(ctx, brand.Brand{Name: "SAV", Primary: "#aa0000", Accent: "#0000aa"}); err != nil {
			t.Fatal(err)
		}
		if r := get(etag); r.Status != http.StatusOK || !strings.Contains(r.Body, "--accent:#0000aa") {
			t.Errorf("after a change, the old tag: %d %q; the new colours must show at once", r.Status, r.Body)
		}
	})
}

// TestBrandStoredBadValues writes around brand validation, as an old
// version, a hand-edited database or a bug might: nothing of it may reach
// the stylesheet or the page as markup.
func TestBrandStoredBadValues(t *testing.T) {
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		cases := []struct {
			name      string
			stored    map[string]string
			wantCSS   []string
			forbidden []string
		}{
			{"css injection in both colours",
				map[string]string{"name": "SAV", "primary": "#000;}body{background:url(//evil.example/x)}", "accent": "red;}*{display:none"},
				[]string{"portal.css's colours apply"}, []string{"evil", "body", "display", "red", "--primary", "--accent"}},
			{"one good colour",
				map[string]string{"name": "SAV", "primary": "#1f5fbf", "accent": "</style><script>alert(1)</script>"},
				[]string{"--primary:#1f5fbf"}, []string{"script", "--accent", "<"}},
			{"short colours are read",
				map[string]string{"name": "SAV", "primary": "#a00", "accent": "#0a0"},
				[]string{"--primary:#aa0000", "--accent:#00aa00"}, []string{"#a00;"}},
			{"svg logo and empty name",
				map[string]string{"name": " ", "primary": "#1f5fbf", "accent": "#0b7a53", "logo": "data:image/svg+xml;base64,PHN2Zz4="},
				[]string{"--primary:#1f5fbf"}, []string{"svg"}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if err := h.App.Settings.Put(ctx, brand.Key, c.stored); err != nil {
					t.Fatal(err)
				}
				css := h.Do(servertest.Request{Path: "/brand.css"})
				if css.Status != http.StatusOK {
					t.Fatalf("brand.css: %d", css.Status)
				}
				mustContain(t, css, c.wantCSS...)
				mustNotContain(t, css, c.forbidden...)
				page := h.Do(servertest.Request{Path: "/signin"})
				if page.Status != http.StatusOK {
					t.Fatalf("sign-in page: %d", page.Status)
				}
				mustNotContain(t, page, "<script>alert", "evil.example", "data:image/svg")
				if strings.TrimSpace(c.stored["name"]) == "" {
					mustContain(t, page, `<a class="brand" href="/">Assistance</a>`)
				}
			})
		}
	})
}
