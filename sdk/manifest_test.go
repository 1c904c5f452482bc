package sdk

import (
	"strings"
	"testing"
)

const validManifest = `
id: demo-plugin
name: Demo
description: {fr: "Un exemple", en: "An example"}
version: 1.2.3
requires: {core: ">=0.1.0", protocol: 1}
capabilities: [anonymizer]
permissions: [storage]
egress:
  - kind: external_ai
    data: {fr: "texte anonymisé", en: "anonymized text"}
settings:
  - name: mode
    type: select
    label: {fr: Mode, en: Mode}
    default: placeholder
    options:
      - {value: placeholder, label: {fr: Substituts, en: Placeholders}}
      - {value: mask, label: {fr: Masque, en: Mask}}
  - name: limit
    type: integer
    label: {fr: Limite, en: Limit}
    min: 1
    max: 10
    default: "5"
  - name: api_key
    type: secret
    label: {fr: Clé, en: Key}
    required: true
    pattern: "[A-Za-z0-9]{8,}"
  - name: base_url
    type: url
    label: {fr: Adresse, en: Address}
  - name: enabled
    type: boolean
    label: {fr: Actif, en: Enabled}
    default: "true"
  - name: code
    type: string
    label: {fr: Code, en: Code}
    max: 4
`

func TestParseManifest(t *testing.T) {
	m, err := ParseManifest([]byte(validManifest))
	if err != nil {
		t.Fatalf("valid manifest rejected: %v", err)
	}
	if m.ID != "demo-plugin" || len(m.Settings) != 6 || !m.HasCapability(CapAnonymizer) {
		t.Fatalf("unexpected manifest: %+v", m)
	}
}

func TestParseManifestErrors(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(string) string
		wantErr string
	}{
		{"bad id", func(s string) string { return strings.Replace(s, "id: demo-plugin", "id: Demo_Plugin", 1) }, "id:"},
		{"bad version", func(s string) string { return strings.Replace(s, "1.2.3", "v1", 1) }, "version:"},
		{"wrong protocol", func(s string) string { return strings.Replace(s, "protocol: 1", "protocol: 2", 1) }, "requires.protocol"},
		{"bad core constraint", func(s string) string { return strings.Replace(s, ">=0.1.0", "latest", 1) }, "requires.core"},
		{"unknown capability", func(s string) string { return strings.Replace(s, "[anonymizer]", "[teleport]", 1) }, "capabilities[0]"},
		{"unknown permission", func(s string) string { return strings.Replace(s, "[storage]", "[root]", 1) }, "permissions[0]"},
		{"unknown egress", func(s string) string { return strings.Replace(s, "kind: external_ai", "kind: moon", 1) }, "egress[0].kind"},
		{"missing label fr", func(s string) string { return strings.Replace(s, "{fr: Limite, en: Limit}", "{en: Limit}", 1) }, "settings[1].label.fr"},
		{"unknown type", func(s string) string { return strings.Replace(s, "type: boolean", "type: date", 1) }, "settings[4].type"},
		{"default outside bounds", func(s string) string { return strings.Replace(s, `default: "5"`, `default: "50"`, 1) }, "settings[1].default"},
		{"min above max", func(s string) string { return strings.Replace(s, "min: 1", "min: 20", 1) }, "settings[1].max"},
		{"bad pattern", func(s string) string { return strings.Replace(s, "[A-Za-z0-9]{8,}", "[", 1) }, "settings[2].pattern"},
		{"secret default", func(s string) string {
			return strings.Replace(s, "required: true", "required: true\n    default: abcdefgh1", 1)
		}, "settings[2].default"},
		{"select with a single option is valid", func(s string) string {
			return strings.Replace(s, "      - {value: mask, label: {fr: Masque, en: Mask}}\n", "", 1)
		}, ""},
		{"duplicate field", func(s string) string { return strings.Replace(s, "name: code", "name: limit", 1) }, "settings[5].name"},
		{"unknown key", func(s string) string { return s + "colour: blue\n" }, "colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tc.edit(validManifest)))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("want error naming %q, got %v", tc.wantErr, err)
			}
		})
	}
}

func TestCheckSettings(t *testing.T) {
	m, err := ParseManifest([]byte(validManifest))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		in        map[string]string
		wantCodes map[string]string // field -> code
		want      map[string]string // resolved values to check
	}{
		{"defaults applied", map[string]string{"api_key": "abcdefgh"}, nil,
			map[string]string{"mode": "placeholder", "limit": "5", "enabled": "true"}},
		{"required missing", map[string]string{}, map[string]string{"api_key": "required"}, nil},
		{"integer not a number", map[string]string{"api_key": "abcdefgh", "limit": "ten"}, map[string]string{"limit": "type"}, nil},
		{"integer too big", map[string]string{"api_key": "abcdefgh", "limit": "11"}, map[string]string{"limit": "max"}, nil},
		{"integer too small", map[string]string{"api_key": "abcdefgh", "limit": "0"}, map[string]string{"limit": "min"}, nil},
		{"boolean spelled oddly", map[string]string{"api_key": "abcdefgh", "enabled": "yes"}, map[string]string{"enabled": "type"}, nil},
		{"select unknown", map[string]string{"api_key": "abcdefgh", "mode": "shred"}, map[string]string{"mode": "choice"}, nil},
		{"secret pattern", map[string]string{"api_key": "short"}, map[string]string{"api_key": "pattern"}, nil},
		{"url scheme", map[string]string{"api_key": "abcdefgh", "base_url": "ftp://erp.example"}, map[string]string{"base_url": "url"}, nil},
		{"url credentials", map[string]string{"api_key": "abcdefgh", "base_url": "https://u:p@erp.example"}, map[string]string{"base_url": "url"}, nil},
		{"string too long", map[string]string{"api_key": "abcdefgh", "code": "ABCDE"}, map[string]string{"code": "max"}, nil},
		{"string multi-line", map[string]string{"api_key": "abcdefgh", "code": "A\nB"}, map[string]string{"code": "type"}, nil},
		{"unknown key", map[string]string{"api_key": "abcdefgh", "colour": "blue"}, map[string]string{"colour": "unknown"}, nil},
		{"several errors", map[string]string{"limit": "x", "mode": "y"},
			map[string]string{"api_key": "required", "limit": "type", "mode": "choice"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := m.CheckSettings(tc.in)
			codes := map[string]string{}
			for _, e := range errs {
				codes[e.Field] = e.Code
				if strings.Contains(e.Message, "abcdefgh") || strings.Contains(e.Message, "short") {
					t.Errorf("error message echoes a secret: %q", e.Message)
				}
			}
			if len(codes) != len(tc.wantCodes) {
				t.Fatalf("errors = %v, want %v", errs, tc.wantCodes)
			}
			for f, c := range tc.wantCodes {
				if codes[f] != c {
					t.Errorf("field %s: code %q, want %q", f, codes[f], c)
				}
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

func TestSettingsAccessors(t *testing.T) {
	s := Settings{"n": "42", "b": "true", "l": "a, b,,\nc "}
	if s.Int("n") != 42 || !s.Bool("b") || s.Bool("missing") || s.Int("missing") != 0 {
		t.Fatalf("accessors wrong: %v", s)
	}
	if got := strings.Join(s.List("l"), "|"); got != "a|b|c" {
		t.Fatalf("List = %q", got)
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(validManifest))
	f.Add([]byte("id: x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err == nil && m.Validate() != nil {
			t.Fatalf("parsed manifest does not validate")
		}
	})
}
