package markup

import (
	"strings"
	"testing"
)

func TestPlainToHTML(t *testing.T) {
	cases := []struct {
		name    string
		in      string
		want    []string
		notWant []string
	}{
		{"escapes markup", `<script>alert(1)</script> & "x"`, []string{"&lt;script&gt;", "&amp;"}, []string{"<script"}},
		{"keeps line breaks and paragraphs", "a\nb\n\nc", []string{"<p>a<br>b</p>", "<p>c</p>"}, nil},
		{"links http", "see https://example.com/a?b=1&c=2.", []string{`href="https://example.com/a?b=1&amp;c=2"`, `rel="nofollow noreferrer noopener"`}, []string{`c=2."`}},
		{"mails bare addresses", "write to ana@example.org", []string{`href="mailto:ana@example.org"`}, nil},
		{"refuses javascript", "javascript:alert(1)", nil, []string{"<a"}},
		{"no attribute breakout", `https://x.test/"onmouseover="alert(1)`, nil, []string{`onmouseover="alert`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := PlainToHTML(tc.in)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("PlainToHTML(%q) = %q, want it to contain %q", tc.in, got, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("PlainToHTML(%q) = %q, must not contain %q", tc.in, got, w)
				}
			}
		})
	}
}

func TestMarkdownDropsUnsafe(t *testing.T) {
	cases := []struct{ name, in, notWant, want string }{
		{"raw html", "<img src=x onerror=alert(1)>", "onerror", ""},
		{"javascript link", "[a](javascript:alert(1))", "javascript:", ""},
		{"data link", "[a](data:text/html,<b>)", "data:", ""},
		{"heading kept", "# Titre", "", "<h1"},
		{"mailto kept", "[m](mailto:a@b.c)", "", `href="mailto:a@b.c"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Markdown(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if tc.notWant != "" && strings.Contains(got, tc.notWant) {
				t.Errorf("Markdown(%q) = %q contains %q", tc.in, got, tc.notWant)
			}
			if tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	got := HTMLToText(PlainToHTML("Bonjour,\nmerci & à bientôt\n\nAna"))
	want := "Bonjour,\nmerci & à bientôt\n\nAna"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzPlainToHTML(f *testing.F) {
	f.Add("https://a.b/<x>")
	f.Add("a@b.co\n\n<script>")
	f.Fuzz(func(t *testing.T, s string) {
		out := PlainToHTML(s)
		if strings.Contains(strings.ToLower(out), "<script") || strings.Contains(strings.ToLower(out), "javascript:") && strings.Contains(out, "href=\"javascript") {
			t.Fatalf("unsafe output %q for %q", out, s)
		}
	})
}
