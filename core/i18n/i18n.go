// Package i18n translates Guichet's interface and mails. Messages live in
// locales/<surface>.<lang>.json (go-i18n's JSON format, with CLDR plural
// forms), one file per surface so surfaces are translated independently.
// French and English are complete; a missing message falls back to English
// and then to its id, so a gap shows instead of breaking a page. It must not
// import net/http or gin.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var locales embed.FS

// Supported lists the languages with complete translations, in preference
// order for ties.
var Supported = []string{"fr", "en"}

// Bundle holds every message of every language.
type Bundle struct{ b *i18n.Bundle }

// Load reads the embedded message files.
func Load() (*Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(locales, f)
		if err != nil {
			return nil, err
		}
		// go-i18n takes the language from the last dotted part before .json.
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
	}
	return &Bundle{b: b}, nil
}

// Localizer speaks one language.
type Localizer struct {
	Lang string
	l    *i18n.Localizer
}

// For returns a localizer for lang (one of Supported).
func (b *Bundle) For(lang string) *Localizer {
	return &Localizer{Lang: lang, l: i18n.NewLocalizer(b.b, lang, "en")}
}

// T translates id; args are alternating names and values for the message's
// {{.Name}} placeholders.
func (l *Localizer) T(id string, args ...any) string {
	return l.localize(id, nil, args)
}

// N translates id choosing the plural form for count, which is also
// available to the message as {{.Count}}.
func (l *Localizer) N(id string, count int, args ...any) string {
	return l.localize(id, count, append(args, "Count", count))
}

func (l *Localizer) localize(id string, count any, args []any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		data[fmt.Sprint(args[i])] = args[i+1]
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && s == "" {
		return id
	}
	return s
}

// Negotiate picks the language: the person's own choice when supported,
// else the best match of the Accept-Language header, else def.
func Negotiate(choice, acceptLanguage, def string) string {
	if slices.Contains(Supported, choice) {
		return choice
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil {
			for _, t := range tags {
				base, _ := t.Base()
				if slices.Contains(Supported, strings.ToLower(base.String())) {
					return strings.ToLower(base.String())
				}
			}
		}
	}
	if slices.Contains(Supported, def) {
		return def
	}
	return Supported[0]
}
