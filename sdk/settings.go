package sdk

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Setting field types a schema may use.
const (
	TypeString  = "string"  // one line of text
	TypeText    = "text"    // several lines of text
	TypeSecret  = "secret"  // write-only in the console, encrypted at rest
	TypeInteger = "integer" // base-10 signed integer
	TypeBoolean = "boolean" // "true" or "false"
	TypeSelect  = "select"  // one of Options
	TypeURL     = "url"     // absolute http or https URL
)

var knownTypes = []string{TypeString, TypeText, TypeSecret, TypeInteger, TypeBoolean, TypeSelect, TypeURL}

// maxSettingLen caps any single setting value, whatever the schema says.
const maxSettingLen = 64 << 10

// SettingField is one field of a plugin's settings schema; the console
// generates the admin form from these.
type SettingField struct {
	// Name is the key in the settings map: lower-case snake_case.
	Name string `yaml:"name"`
	// Type is one of string, text, secret, integer, boolean, select, url.
	Type string `yaml:"type"`
	// Label is the form label, per language.
	Label Text `yaml:"label"`
	// Help is an optional sentence under the field, per language.
	Help Text `yaml:"help"`
	// Default is the value used when the admin leaves the field empty.
	// Secrets cannot have one.
	Default string `yaml:"default"`
	// Required makes an empty value (after defaults) an error.
	Required bool `yaml:"required"`
	// Min and Max bound an integer's value, or a string's length in
	// characters.
	Min *int64 `yaml:"min"`
	// Max: see Min.
	Max *int64 `yaml:"max"`
	// Pattern is a Go regular expression the whole value must match
	// (string, text, secret and url fields).
	Pattern string `yaml:"pattern"`
	// Options are the choices of a select field.
	Options []Option `yaml:"options"`

	re *regexp.Regexp
}

// Option is one choice of a select field.
type Option struct {
	// Value is what the settings map holds.
	Value string `yaml:"value"`
	// Label is what the admin sees, per language.
	Label Text `yaml:"label"`
}

// FieldError is one problem with one settings field. It travels to the
// console as guichet.plugin.v1.FieldError.
type FieldError struct {
	// Field is the schema field name; empty for the settings as a whole.
	Field string
	// Code is a stable word: required, type, min, max, pattern, choice,
	// unknown, url, invalid.
	Code string
	// Message explains the problem in English; never contains a secret.
	Message string
}

func (e FieldError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

func (f *SettingField) validate(path string, bad func(string, string, ...any)) {
	if !fieldPattern.MatchString(f.Name) {
		bad(path+".name", "%q must be lower-case snake_case", f.Name)
	}
	if !contains(knownTypes, f.Type) {
		bad(path+".type", "%q is not one of %s", f.Type, strings.Join(knownTypes, ", "))
		return
	}
	checkText(path+".label", f.Label, bad)
	if (f.Help.FR == "") != (f.Help.EN == "") {
		bad(path+".help", "needs both fr and en, or neither")
	}
	if f.Pattern != "" {
		re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
		if err != nil {
			bad(path+".pattern", "does not compile: %v", err)
		}
		f.re = re
		if f.Type == TypeInteger || f.Type == TypeBoolean || f.Type == TypeSelect {
			bad(path+".pattern", "is not allowed on a %s field", f.Type)
		}
	}
	if (f.Min != nil || f.Max != nil) && (f.Type == TypeBoolean || f.Type == TypeSelect) {
		bad(path+".min", "min/max are not allowed on a %s field", f.Type)
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		bad(path+".max", "%d is below min %d", *f.Max, *f.Min)
	}
	f.validateOptions(path, bad)
	if f.Default != "" {
		if f.Type == TypeSecret {
			bad(path+".default", "a secret cannot have a default")
		} else if fe := f.check(f.Default); fe != nil {
			bad(path+".default", "%s", fe.Message)
		}
	}
}

func (f *SettingField) validateOptions(path string, bad func(string, string, ...any)) {
	if f.Type != TypeSelect {
		if len(f.Options) > 0 {
			bad(path+".options", "only select fields have options")
		}
		return
	}
	if len(f.Options) == 0 {
		bad(path+".options", "a select field needs at least one option")
	}
	seen := map[string]bool{}
	for i, o := range f.Options {
		op := fmt.Sprintf("%s.options[%d]", path, i)
		if o.Value == "" || seen[o.Value] {
			bad(op+".value", "%q is empty or used twice", o.Value)
		}
		seen[o.Value] = true
		checkText(op+".label", o.Label, bad)
	}
}

// check validates one non-empty value against the field; nil means valid.
func (f *SettingField) check(v string) *FieldError {
	fe := func(code, format string, args ...any) *FieldError {
		return &FieldError{Field: f.Name, Code: code, Message: fmt.Sprintf(format, args...)}
	}
	if len(v) > maxSettingLen || !utf8.ValidString(v) {
		return fe("invalid", "is not valid UTF-8 text of at most %d bytes", maxSettingLen)
	}
	switch f.Type {
	case TypeInteger:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return fe("type", "must be a whole number")
		}
		if f.Min != nil && n < *f.Min {
			return fe("min", "must be at least %d", *f.Min)
		}
		if f.Max != nil && n > *f.Max {
			return fe("max", "must be at most %d", *f.Max)
		}
		return nil
	case TypeBoolean:
		if v != "true" && v != "false" {
			return fe("type", "must be true or false")
		}
		return nil
	case TypeSelect:
		for _, o := range f.Options {
			if o.Value == v {
				return nil
			}
		}
		return fe("choice", "must be one of the listed options")
	case TypeURL:
		if err := checkURL(v); err != nil {
			return fe("url", "%v", err)
		}
	case TypeString:
		if strings.ContainsAny(v, "\r\n") {
			return fe("type", "must be a single line")
		}
	}
	return f.checkText(v, fe)
}

func (f *SettingField) checkText(v string, fe func(string, string, ...any) *FieldError) *FieldError {
	n := int64(utf8.RuneCountInString(v))
	if f.Min != nil && n < *f.Min {
		return fe("min", "must be at least %d characters long", *f.Min)
	}
	if f.Max != nil && n > *f.Max {
		return fe("max", "must be at most %d characters long", *f.Max)
	}
	if f.re != nil && !f.re.MatchString(v) {
		if f.Type == TypeSecret {
			return fe("pattern", "does not have the expected format")
		}
		return fe("pattern", "does not match the pattern %s", f.Pattern)
	}
	return nil
}

// checkURL accepts absolute http and https URLs with a host and without
// credentials. Whether the host may be reached is netguard's job, at use.
func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil {
		return fmt.Errorf("is not a URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("must start with http:// or https://")
	}
	if u.Hostname() == "" {
		return fmt.Errorf("has no host")
	}
	if u.User != nil {
		return fmt.Errorf("must not carry a user name or password; use the plugin's credential fields")
	}
	return nil
}

// CheckSettings validates a settings map against the schema. It returns the
// resolved settings (defaults applied, unknown keys rejected) and one
// FieldError per faulty field, sorted by field name; the settings are usable
// only when no error is returned.
func (m *Manifest) CheckSettings(values map[string]string) (Settings, []FieldError) {
	out := Settings{}
	var errs []FieldError
	for k := range values {
		if m.Field(k) == nil {
			errs = append(errs, FieldError{Field: k, Code: "unknown", Message: "is not a setting of this plugin"})
		}
	}
	for i := range m.Settings {
		f := &m.Settings[i]
		if f.Pattern != "" && f.re == nil {
			re, err := regexp.Compile(`^(?:` + f.Pattern + `)$`)
			if err != nil {
				errs = append(errs, FieldError{Field: f.Name, Code: "invalid", Message: "the schema's pattern does not compile"})
				continue
			}
			f.re = re
		}
		v := values[f.Name]
		if v == "" {
			v = f.Default
		}
		if v == "" {
			if f.Required {
				errs = append(errs, FieldError{Field: f.Name, Code: "required", Message: "is required"})
			}
			continue
		}
		if fe := f.check(v); fe != nil {
			errs = append(errs, *fe)
			continue
		}
		out[f.Name] = v
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Field < errs[j].Field })
	return out, errs
}

// Settings are validated settings, keyed by field name. Values are text as
// on the wire; the accessors convert them. Absent keys read as zero values.
type Settings map[string]string

// String returns the value of a field.
func (s Settings) String(name string) string { return s[name] }

// Int returns the value of an integer field, 0 when empty.
func (s Settings) Int(name string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s[name]), 10, 64)
	return n
}

// Bool returns the value of a boolean field, false when empty.
func (s Settings) Bool(name string) bool { return s[name] == "true" }

// List splits a comma- or newline-separated field into trimmed, non-empty
// items.
func (s Settings) List(name string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s[name], func(r rune) bool { return r == ',' || r == '\n' }) {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
