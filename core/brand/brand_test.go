package brand_test

import (
	"bytes"
	"context"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

func TestValidate(t *testing.T) {
	logo, err := brand.LogoDataURL(encode(t, "png"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		edit  func(*brand.Brand)
		field string // "" when valid
	}{
		{"defaults", func(*brand.Brand) {}, ""},
		{"with logo and texts", func(b *brand.Brand) { b.Logo, b.HeaderText, b.FooterText = logo, "Bienvenue", "Lun–ven" }, ""},
		{"blank name", func(b *brand.Brand) { b.Name = "   " }, "name"},
		{"long name", func(b *brand.Brand) { b.Name = strings.Repeat("é", 101) }, "name"},
		{"named colour", func(b *brand.Brand) { b.Primary = "red" }, "primary"},
		{"short colour from the form", func(b *brand.Brand) { b.Accent = "#0a0" }, "accent"},
		{"colour with CSS after it", func(b *brand.Brand) { b.Primary = "#000000;}body{display:none" }, "primary"},
		{"long footer", func(b *brand.Brand) { b.FooterText = strings.Repeat("x", 501) }, "footer_text"},
		{"svg logo", func(b *brand.Brand) { b.Logo = "data:image/svg+xml;base64,PHN2Zz4=" }, "logo"},
		{"remote logo", func(b *brand.Brand) { b.Logo = "https://evil.example/logo.png" }, "logo"},
		{"logo with quote", func(b *brand.Brand) { b.Logo = `data:image/png;base64,AA"onerror=x` }, "logo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := brand.Default()
			tc.edit(&b)
			err := b.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid brand refused: %v", err)
				}
				return
			}
			if e := errs.As(err); e == nil || e.Kind != errs.Invalid || e.Fields[tc.field] == "" {
				t.Errorf("Validate = %v, want an error on %s", err, tc.field)
			}
		})
	}
}

func TestLogoDataURL(t *testing.T) {
	webp := append([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), make([]byte, 16)...)
	cases := []struct {
		name  string
		body  []byte
		ctype string // "" when refused
	}{
		{"png", encode(t, "png"), "image/png"},
		{"jpeg", encode(t, "jpeg"), "image/jpeg"},
		{"gif", encode(t, "gif"), "image/gif"},
		{"webp", webp, "image/webp"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ""},
		{"html", []byte(`<html><script>alert(1)</script>`), ""},
		{"empty", nil, ""},
		{"too large png", append(encode(t, "png"), make([]byte, brand.MaxLogoBytes)...), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url, err := brand.LogoDataURL(tc.body)
			if tc.ctype == "" {
				if err == nil || errs.As(err).Fields["logo"] == "" {
					t.Fatalf("accepted as %.40q, err %v", url, err)
				}
				return
			}
			if err != nil || !strings.HasPrefix(url, "data:"+tc.ctype+";base64,") || !brand.SafeLogo(url) {
				t.Fatalf("LogoDataURL = %.60q, %v", url, err)
			}
			// Our signatures must agree with the standard library's sniffer.
			if got := http.DetectContentType(tc.body); got != tc.ctype {
				t.Errorf("net/http sniffs %s as %s", tc.ctype, got)
			}
		})
	}
}

func TestParseColour(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want brand.RGB
		ok   bool
	}{
		{"long", "#1f5fbf", brand.RGB{0x1f, 0x5f, 0xbf}, true},
		{"upper case", "#AABBCC", brand.RGB{0xaa, 0xbb, 0xcc}, true},
		{"short", "#0a0", brand.RGB{0, 0xaa, 0}, true},
		{"named", "red", brand.RGB{}, false},
		{"no hash", "1f5fbf", brand.RGB{}, false},
		{"four digits", "#1f5f", brand.RGB{}, false},
		{"not hex", "#ggg", brand.RGB{}, false},
		{"css injection", "#fff;}body{background:url(//evil.example)}", brand.RGB{}, false},
		{"trailing newline", "#ffffff\n", brand.RGB{}, false},
		{"empty", "", brand.RGB{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := brand.ParseColour(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseColour(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestServiceLoadSave(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := brand.NewService(settings.NewService(bdb))
		b, saved, err := s.Load(ctx)
		dbtest.Must(t, err)
		if saved || b != brand.Default() {
			t.Fatalf("fresh install: %+v saved=%v", b, saved)
		}
		bad := brand.Default()
		bad.Primary = "blue"
		if err := s.Save(ctx, bad); !errs.Is(err, errs.Invalid) {
			t.Fatalf("Save of a bad brand: %v", err)
		}
		if _, saved, _ := s.Load(ctx); saved {
			t.Fatal("a refused brand was stored")
		}
		want := brand.Brand{Name: "SAV", Primary: "#aa0000", Accent: "#00aa00", HeaderText: "h", FooterText: "f"}
		in := want
		in.Name = "  SAV  "
		dbtest.Must(t, s.Save(ctx, in))
		got, saved, err := s.Load(ctx)
		dbtest.Must(t, err)
		if !saved || got != want {
			t.Errorf("after save: %+v saved=%v, want %+v (name trimmed)", got, saved, want)
		}
	})
}

func encode(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodeLogo(t *testing.T) {
	png := encode(t, "png")
	good, err := brand.LogoDataURL(png)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		in    string
		ok    bool
		ctype string
	}{
		{"made by LogoDataURL", good, true, "image/png"},
		{"type that lies about the bytes", strings.Replace(good, "image/png", "image/gif", 1), false, ""},
		{"svg", "data:image/svg+xml;base64,PHN2Zy8+", false, ""},
		{"not base64", "data:image/png;base64,@@@", false, ""},
		{"empty", "", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctype, body, ok := brand.DecodeLogo(tc.in)
			if ok != tc.ok || ctype != tc.ctype || (ok && string(body) != string(png)) {
				t.Errorf("DecodeLogo = %q, %d bytes, %v; want %q, %v", ctype, len(body), ok, tc.ctype, tc.ok)
			}
		})
	}
}
