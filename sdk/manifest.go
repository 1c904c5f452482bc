package sdk

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// ProtocolVersion is the plugin protocol this SDK speaks. It is the go-plugin
// handshake version and the version in protobuf package guichet.plugin.v1.
const ProtocolVersion = 1

// Capability names, as written in a manifest's capabilities list.
const (
	CapAnonymizer        = "anonymizer"
	CapCustomerDirectory = "customer_directory"
	CapKnowledgeSearch   = "knowledge_search"
	CapAssignment        = "assignment"
	CapPages             = "pages"
	CapEventSink         = "event_sink"
)

// Permission names a plugin may request in its manifest.
const (
	// PermStorage lets a plugin use HostAPI.StorageGet and StorageSet.
	PermStorage = "storage"
	// PermNetwork declares that the plugin opens outbound connections.
	PermNetwork = "network"
)

// Egress kinds a plugin declares for data leaving the machine.
const (
	EgressExternalAI = "external_ai"
	EgressERP        = "erp"
	EgressHTTP       = "http"
)

var (
	knownCapabilities = []string{CapAnonymizer, CapCustomerDirectory, CapKnowledgeSearch, CapAssignment, CapPages, CapEventSink}
	knownPermissions  = []string{PermStorage, PermNetwork}
	knownEgress       = []string{EgressExternalAI, EgressERP, EgressHTTP}

	idPattern      = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
	fieldPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	semverPattern  = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
	corePattern    = regexp.MustCompile(`^(>=|<=|>|<|=|\^|~)?\s*\d+\.\d+\.\d+$`)
	maxManifestLen = 64 << 10
)

// Manifest is a plugin's plugin.yaml: who it is, what it needs, what it does
// with data, and the schema of its settings.
type Manifest struct {
	// ID is the plugin's stable identifier: lower-case letters, digits and
	// dashes, 2 to 40 characters, starting with a letter.
	ID string `yaml:"id"`
	// Name is the plugin's display name.
	Name string `yaml:"name"`
	// Description says in a sentence what the plugin does, per language.
	Description Text `yaml:"description"`
	// Version is the plugin's semantic version (1.2.3).
	Version string `yaml:"version"`
	// Requires states the core and protocol versions the plugin needs.
	Requires Requirements `yaml:"requires"`
	// Capabilities lists the capability services the plugin serves.
	Capabilities []string `yaml:"capabilities"`
	// Permissions lists what the plugin asks the admin to grant.
	Permissions []string `yaml:"permissions"`
	// Egress declares every kind of data that may leave the machine through
	// the plugin; the console shows it before the admin enables the plugin.
	Egress []Egress `yaml:"egress"`
	// Settings is the schema of the plugin's settings, in form order.
	Settings []SettingField `yaml:"settings"`
}

// Requirements are the versions a plugin needs from the core.
type Requirements struct {
	// Core is a constraint on the core's version, such as ">=0.1.0"; several
	// constraints may be separated by commas.
	Core string `yaml:"core"`
	// Protocol is the plugin protocol version the plugin speaks.
	Protocol int `yaml:"protocol"`
}

// Egress is one declared flow of data out of the machine.
type Egress struct {
	// Kind is one of external_ai, erp, http.
	Kind string `yaml:"kind"`
	// Data says what leaves, per language ("ticket text, anonymized").
	Data Text `yaml:"data"`
}

// Text is a short text in French and English, both required.
type Text struct {
	// FR is the French text.
	FR string `yaml:"fr"`
	// EN is the English text.
	EN string `yaml:"en"`
}

// ManifestError is one problem in a manifest, naming its field with a path
// such as "settings[2].label.fr".
type ManifestError struct {
	// Field is the path of the faulty field.
	Field string
	// Message explains the problem.
	Message string
}

func (e *ManifestError) Error() string { return "plugin.yaml: " + e.Field + ": " + e.Message }

// ParseManifest decodes and validates a plugin.yaml. Unknown keys are errors,
// so a typo never silently drops a setting. The error joins one
// *ManifestError per problem.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > maxManifestLen {
		return nil, &ManifestError{Field: "(file)", Message: fmt.Sprintf("larger than %d bytes", maxManifestLen)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, &ManifestError{Field: "(yaml)", Message: err.Error()}
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Validate checks every field of the manifest and returns all problems
// joined, each a *ManifestError.
func (m *Manifest) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ManifestError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(m.ID) {
		bad("id", "%q must be 2-40 lower-case letters, digits or dashes, starting with a letter", m.ID)
	}
	if strings.TrimSpace(m.Name) == "" {
		bad("name", "is required")
	}
	if !semverPattern.MatchString(m.Version) {
		bad("version", "%q is not a semantic version such as 1.0.0", m.Version)
	}
	m.validateRequires(bad)
	checkList("capabilities", m.Capabilities, knownCapabilities, true, bad)
	checkList("permissions", m.Permissions, knownPermissions, false, bad)
	for i, e := range m.Egress {
		if !contains(knownEgress, e.Kind) {
			bad(fmt.Sprintf("egress[%d].kind", i), "%q is not one of %s", e.Kind, strings.Join(knownEgress, ", "))
		}
		checkText(fmt.Sprintf("egress[%d].data", i), e.Data, bad)
	}
	seen := map[string]bool{}
	for i := range m.Settings {
		f := &m.Settings[i]
		path := fmt.Sprintf("settings[%d]", i)
		if seen[f.Name] {
			bad(path+".name", "%q is used twice", f.Name)
		}
		seen[f.Name] = true
		f.validate(path, bad)
	}
	return errors.Join(errs...)
}

func (m *Manifest) validateRequires(bad func(string, string, ...any)) {
	if m.Requires.Protocol != ProtocolVersion {
		bad("requires.protocol", "is %d, this SDK speaks protocol %d", m.Requires.Protocol, ProtocolVersion)
	}
	if m.Requires.Core == "" {
		bad("requires.core", "is required (for example \">=0.1.0\")")
		return
	}
	for _, c := range strings.Split(m.Requires.Core, ",") {
		if !corePattern.MatchString(strings.TrimSpace(c)) {
			bad("requires.core", "%q is not a version constraint such as \">=0.1.0\"", c)
		}
	}
}

// HasCapability reports whether the manifest lists capability c.
func (m *Manifest) HasCapability(c string) bool { return contains(m.Capabilities, c) }

// Field returns the schema field with the given name, or nil.
func (m *Manifest) Field(name string) *SettingField {
	for i := range m.Settings {
		if m.Settings[i].Name == name {
			return &m.Settings[i]
		}
	}
	return nil
}

func checkList(field string, got, known []string, required bool, bad func(string, string, ...any)) {
	if required && len(got) == 0 {
		bad(field, "must list at least one of %s", strings.Join(known, ", "))
	}
	seen := map[string]bool{}
	for i, v := range got {
		if !contains(known, v) {
			bad(fmt.Sprintf("%s[%d]", field, i), "%q is not one of %s", v, strings.Join(known, ", "))
		}
		if seen[v] {
			bad(fmt.Sprintf("%s[%d]", field, i), "%q is listed twice", v)
		}
		seen[v] = true
	}
}

func checkText(field string, t Text, bad func(string, string, ...any)) {
	if strings.TrimSpace(t.FR) == "" {
		bad(field+".fr", "is required")
	}
	if strings.TrimSpace(t.EN) == "" {
		bad(field+".en", "is required")
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
