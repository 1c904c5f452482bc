package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// maxText caps the text of one call; longer texts are refused rather than
// half anonymized.
const maxText = 1 << 20

// anonymizer implements the Anonymizer capability. It is stateless between
// calls apart from its settings: the host keeps the replacement tables.
type anonymizer struct {
	mu      sync.RWMutex
	mode    pluginv1.AnonymizeMode
	enabled map[string]bool
	region  string
}

var (
	_ sdk.Anonymizer = (*anonymizer)(nil)
	_ sdk.Configurer = (*anonymizer)(nil)
)

func newAnonymizer() *anonymizer {
	return &anonymizer{mode: pluginv1.AnonymizeMode_ANONYMIZE_MODE_PLACEHOLDER, enabled: typeSet(allTypes), region: "FR"}
}

func typeSet(types []string) map[string]bool {
	out := map[string]bool{}
	for _, t := range types {
		out[strings.ToUpper(strings.TrimSpace(t))] = true
	}
	return out
}

var modes = map[string]pluginv1.AnonymizeMode{
	"placeholder": pluginv1.AnonymizeMode_ANONYMIZE_MODE_PLACEHOLDER,
	"mask":        pluginv1.AnonymizeMode_ANONYMIZE_MODE_MASK,
	"digits":      pluginv1.AnonymizeMode_ANONYMIZE_MODE_DIGITS,
}

// Configure activates validated settings.
func (a *anonymizer) Configure(_ context.Context, cfg sdk.Config) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.mode = modes[cfg.Settings.String("mode")]
	a.enabled = typeSet(cfg.Settings.List("types"))
	a.region = cfg.Settings.String("default_region")
	cfg.Log.Info("anonymizer configured", "mode", cfg.Settings.String("mode"), "types", cfg.Settings.String("types"))
	return nil
}

// Anonymize replaces personal data in the request's text.
func (a *anonymizer) Anonymize(_ context.Context, r *pluginv1.AnonymizeRequest) (*pluginv1.AnonymizeResponse, error) {
	if len(r.GetText()) > maxText {
		return nil, sdk.InvalidArgument("text is longer than %d bytes", maxText)
	}
	a.mu.RLock()
	mode, enabled, region := a.mode, a.enabled, a.region
	a.mu.RUnlock()
	if r.GetMode() != pluginv1.AnonymizeMode_ANONYMIZE_MODE_UNSPECIFIED {
		mode = r.GetMode()
	}
	if len(r.GetEnabledTypes()) > 0 {
		enabled = typeSet(r.GetEnabledTypes())
	}
	if r.GetDefaultRegion() != "" {
		region = strings.ToUpper(r.GetDefaultRegion())
	}
	people := make([]person, 0, len(r.GetKnownPeople()))
	for _, p := range r.GetKnownPeople() {
		people = append(people, person{name: p.GetName(), emails: p.GetEmails(), phones: p.GetPhones()})
	}
	if mode == pluginv1.AnonymizeMode_ANONYMIZE_MODE_DIGITS {
		// Numbers all disappear anyway; what digits cannot hide is text.
		enabled = map[string]bool{TypePerson: enabled[TypePerson], TypeEmail: enabled[TypeEmail], TypeURL: enabled[TypeURL]}
	}
	findings := scan(r.GetText(), enabled, people, region)
	text, reps := replace(r.GetText(), findings, mode, r.GetPrevious(), region)
	if mode == pluginv1.AnonymizeMode_ANONYMIZE_MODE_DIGITS {
		text = xDigits(text)
	}
	return &pluginv1.AnonymizeResponse{Text: text, Replacements: reps}, nil
}

// replace builds the output text and the replacement table. Values are
// compared by a normalized key, so "A@B.fr" and "a@b.fr", or two spellings
// of one phone number, share a placeholder.
func replace(text string, fs []finding, mode pluginv1.AnonymizeMode, previous []*pluginv1.Replacement, region string) (string, []*pluginv1.Replacement) {
	byKey := map[string]*pluginv1.Replacement{}
	next := map[string]int{}
	var order []*pluginv1.Replacement
	for _, p := range previous {
		rep := &pluginv1.Replacement{Placeholder: p.GetPlaceholder(), Type: p.GetType(), Original: p.GetOriginal()}
		byKey[normalize(rep.Type, rep.Original, region)] = rep
		if n := placeholderNumber(rep.Placeholder); n > next[rep.Type] {
			next[rep.Type] = n
		}
		order = append(order, rep)
	}
	var b strings.Builder
	last := 0
	used := map[*pluginv1.Replacement]bool{}
	for _, f := range fs {
		value := text[f.start:f.end]
		key := normalize(f.typ, value, region)
		rep := byKey[key]
		if rep == nil {
			next[f.typ]++
			rep = &pluginv1.Replacement{Type: f.typ, Original: value, Placeholder: fmt.Sprintf("[%s_%d]", f.typ, next[f.typ])}
			byKey[key] = rep
			order = append(order, rep)
		}
		used[rep] = true
		rep.Spans = append(rep.Spans, &pluginv1.Span{Start: int32(f.start), End: int32(f.end)})
		b.WriteString(text[last:f.start])
		if mode == pluginv1.AnonymizeMode_ANONYMIZE_MODE_PLACEHOLDER {
			b.WriteString(rep.Placeholder)
		} else {
			b.WriteString("[" + f.typ + "]")
		}
		last = f.end
	}
	b.WriteString(text[last:])
	out := order[:0:0]
	for _, rep := range order {
		if used[rep] {
			out = append(out, rep)
		}
	}
	return b.String(), out
}

func normalize(typ, v, region string) string {
	switch typ {
	case TypePhone:
		d := digitsOnly(v)
		if strings.HasPrefix(strings.TrimSpace(v), "+") || strings.HasPrefix(d, "00") {
			v = "+" + strings.TrimPrefix(d, "00")
		}
		if n, err := phonenumbers.Parse(v, region); err == nil {
			return typ + ":" + phonenumbers.Format(n, phonenumbers.E164)
		}
		return typ + ":" + d
	case TypeCard, TypeSIREN, TypeSIRET:
		return typ + ":" + digitsOnly(v)
	case TypePerson:
		return typ + ":" + strings.ToLower(strings.Join(strings.Fields(v), " "))
	default:
		return typ + ":" + strings.ToUpper(strings.Join(strings.Fields(v), ""))
	}
}

// placeholderRe reads placeholders as an external system may return them:
// any case, spaces inside the brackets or around the underscore.
var placeholderRe = regexp.MustCompile(`\[\s*([A-Za-z]+)\s*_\s*(\d{1,6})\s*\]`)

func placeholderNumber(p string) int {
	m := placeholderRe.FindStringSubmatch(p)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// Restore puts the originals back in place of placeholders.
func (a *anonymizer) Restore(_ context.Context, r *pluginv1.RestoreRequest) (*pluginv1.RestoreResponse, error) {
	if len(r.GetText()) > maxText {
		return nil, sdk.InvalidArgument("text is longer than %d bytes", maxText)
	}
	table := map[string]string{}
	for _, rep := range r.GetReplacements() {
		m := placeholderRe.FindStringSubmatch(rep.GetPlaceholder())
		if m == nil {
			return nil, sdk.InvalidArgument("replacement %q is not a placeholder", rep.GetPlaceholder())
		}
		table[strings.ToUpper(m[1])+"_"+m[2]] = rep.GetOriginal()
	}
	resp := &pluginv1.RestoreResponse{}
	resp.Text = placeholderRe.ReplaceAllStringFunc(r.GetText(), func(ph string) string {
		m := placeholderRe.FindStringSubmatch(ph)
		n, _ := strconv.Atoi(m[2])
		if orig, ok := table[strings.ToUpper(m[1])+"_"+strconv.Itoa(n)]; ok {
			resp.Restored++
			return orig
		}
		resp.UnknownPlaceholders = append(resp.UnknownPlaceholders, ph)
		return ph
	})
	return resp, nil
}

func xDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'X'
		}
		return r
	}, s)
}
