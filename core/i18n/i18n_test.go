package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestEveryLanguageHasEveryMessage keeps French and English complete: each
// surface file must define the same ids in every supported language.
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	files, _ := fs.Glob(locales, "locales/*.json")
	ids := map[string]map[string][]string{} // surface → lang → ids
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(path.Base(f), ".json"), ".")
		surface, lang := parts[0], parts[1]
		raw, _ := fs.ReadFile(locales, f)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for k := range m {
			if ids[surface] == nil {
				ids[surface] = map[string][]string{}
			}
			ids[surface][lang] = append(ids[surface][lang], k)
		}
	}
	for surface, byLang := range ids {
		for _, list := range byLang {
			sort.Strings(list)
		}
		for _, lang := range Supported {
			if strings.Join(byLang[lang], ",") != strings.Join(byLang["en"], ",") {
				t.Errorf("%s.%s.json and %s.en.json define different messages", surface, lang, surface)
			}
		}
	}
}

func TestAgoAndPlurals(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		lang string
		ago  time.Duration
		want string
	}{
		{"fr", 3 * time.Hour, "il y a 3 heures"},
		{"fr", time.Hour, "il y a 1 heure"},
		{"en", 90 * time.Second, "1 minute ago"},
		{"en", 2 * 24 * time.Hour, "2 days ago"},
		{"fr", 10 * time.Second, "à l’instant"},
	}
	for _, tc := range cases {
		if got := b.For(tc.lang).Ago(now.Add(-tc.ago), now); got != tc.want {
			t.Errorf("%s Ago(%v) = %q, want %q", tc.lang, tc.ago, got, tc.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	cases := []struct{ choice, accept, def, want string }{
		{"en", "fr-FR,fr;q=0.9", "fr", "en"},
		{"", "de-DE,en;q=0.8,fr;q=0.5", "fr", "en"},
		{"", "fr-CH", "en", "fr"},
		{"", "", "en", "en"},
		{"xx", "zz", "", "fr"},
	}
	for _, tc := range cases {
		if got := Negotiate(tc.choice, tc.accept, tc.def); got != tc.want {
			t.Errorf("Negotiate(%q, %q, %q) = %q, want %q", tc.choice, tc.accept, tc.def, got, tc.want)
		}
	}
}
