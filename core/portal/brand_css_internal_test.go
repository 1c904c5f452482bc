package portal

import (
	"regexp"
	"testing"

	"github.com/guichet/guichet/core/brand"
)

// TestBrandCSSContrast checks that whatever primary an admin picks, links
// and button labels keep 4.5:1 contrast in both colour schemes.
func TestBrandCSSContrast(t *testing.T) {
	prop := regexp.MustCompile(`--primary:(#[0-9a-f]{6});--primary-fg:(#[0-9a-f]{6});`)
	cases := []struct{ name, primary string }{
		{"default blue", "#1f5fbf"},
		{"yellow, too light on white", "#ffff00"},
		{"navy, too dark on black", "#000080"},
		{"white", "#ffffff"},
		{"black", "#000000"},
		{"mid grey", "#777"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			css := brandCSS(brand.Brand{Primary: tc.primary, Accent: "#0b7a53"}, true)
			m := prop.FindAllStringSubmatch(css, -1)
			if len(m) != 2 {
				t.Fatalf("want a light and a dark --primary in %q", css)
			}
			for i, bgs := range [][]brand.RGB{lightBackgrounds, darkBackgrounds} {
				p, _ := brand.ParseColour(m[i][1])
				fg, _ := brand.ParseColour(m[i][2])
				for _, bg := range bgs {
					if c := contrast(p, bg); c < 4.5 {
						t.Errorf("scheme %d: %s on %v has contrast %.2f", i, m[i][1], bg, c)
					}
				}
				if c := contrast(fg, p); c < 4.5 {
					t.Errorf("scheme %d: label %s on %s has contrast %.2f", i, m[i][2], m[i][1], c)
				}
			}
		})
	}
}
