// Package settings stores typed helpdesk settings as JSON values under keys.
// It validates every value before saving. It must not import net/http or gin.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

// HelpdeskKey is the settings key of Helpdesk.
const HelpdeskKey = "helpdesk"

// Helpdesk holds the settings the ticket flow obeys.
type Helpdesk struct {
	// AutoCloseDays closes resolved tickets after this many days; 0 never.
	AutoCloseDays int `json:"auto_close_days"`
	// ReopenDays is how long after closing a customer may reopen:
	// 0 never, N days, -1 without limit.
	ReopenDays int `json:"reopen_days"`
	// AttachmentsEnabled allows files on tickets and replies.
	AttachmentsEnabled bool `json:"attachments_enabled"`
	// MaxAttachmentMB caps one file, in megabytes.
	MaxAttachmentMB int `json:"max_attachment_mb"`
	// AllowedExtensions lists lower-case extensions without the dot.
	AllowedExtensions []string `json:"allowed_extensions"`
	// DefaultLanguage is used when neither the person nor the browser says.
	DefaultLanguage string `json:"default_language"`
	// EmbedOrigins lists origins allowed to frame the portal.
	EmbedOrigins []string `json:"embed_origins"`
}

// DefaultHelpdesk is what a fresh install uses.
func DefaultHelpdesk() Helpdesk {
	return Helpdesk{
		AutoCloseDays:      7,
		ReopenDays:         30,
		AttachmentsEnabled: true,
		MaxAttachmentMB:    10,
		AllowedExtensions:  strings.Split("jpg,jpeg,png,gif,pdf,doc,docx,xls,xlsx,txt,log", ","),
		DefaultLanguage:    "fr",
	}
}

// MaxAttachmentBytes is MaxAttachmentMB in bytes.
func (h Helpdesk) MaxAttachmentBytes() int64 { return int64(h.MaxAttachmentMB) << 20 }

// AllowsExtension reports whether ext (without dot, any case) is allowed.
func (h Helpdesk) AllowsExtension(ext string) bool {
	return slices.Contains(h.AllowedExtensions, strings.ToLower(ext))
}

var extPattern = regexp.MustCompile(`^[a-z0-9]{1,10}$`)

// Languages lists the languages Guichet speaks.
var Languages = []string{"fr", "en"}

// Validate checks every field and names each bad one.
func (h *Helpdesk) Validate() error {
	f := map[string]string{}
	if h.AutoCloseDays < 0 || h.AutoCloseDays > 3650 {
		f["auto_close_days"] = "must be between 0 and 3650"
	}
	if h.ReopenDays < -1 || h.ReopenDays > 3650 {
		f["reopen_days"] = "must be -1 (no limit), 0 (never) or up to 3650 days"
	}
	if h.MaxAttachmentMB < 1 || h.MaxAttachmentMB > 100 {
		f["max_attachment_mb"] = "must be between 1 and 100"
	}
	for i, e := range h.AllowedExtensions {
		e = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(e), "."))
		h.AllowedExtensions[i] = e
		if !extPattern.MatchString(e) {
			f["allowed_extensions"] = fmt.Sprintf("%q is not an extension (letters and digits, up to 10)", e)
		}
		if e == "html" || e == "htm" || e == "svg" || e == "js" || e == "exe" {
			f["allowed_extensions"] = fmt.Sprintf("%q can carry active content and cannot be allowed", e)
		}
	}
	if !slices.Contains(Languages, h.DefaultLanguage) {
		f["default_language"] = "must be one of " + strings.Join(Languages, ", ")
	}
	for _, o := range h.EmbedOrigins {
		if !validOrigin(o) {
			f["embed_origins"] = fmt.Sprintf("%q is not an origin such as https://intranet.example.com", o)
		}
	}
	if len(f) > 0 {
		return errs.Fields("invalid helpdesk settings", f)
	}
	return nil
}

var originPattern = regexp.MustCompile(`^https://[a-z0-9.-]+(:[0-9]{1,5})?$|^http://localhost(:[0-9]{1,5})?$`)

func validOrigin(o string) bool { return originPattern.MatchString(o) }

// Service reads and writes settings.
type Service struct{ db *bun.DB }

// NewService returns a settings service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// Helpdesk returns the stored helpdesk settings, or the defaults when none
// were saved. Fields missing from the stored JSON keep their defaults.
func (s *Service) Helpdesk(ctx context.Context) (Helpdesk, error) {
	h := DefaultHelpdesk()
	raw, err := getRaw(ctx, s.db, HelpdeskKey)
	if err != nil || raw == "" {
		return h, err
	}
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		return h, fmt.Errorf("settings: decode %s: %w", HelpdeskKey, err)
	}
	return h, nil
}

// SaveHelpdesk validates and stores h.
func (s *Service) SaveHelpdesk(ctx context.Context, h Helpdesk) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.Put(ctx, HelpdeskKey, h)
}

// Get decodes the value stored under key into v and reports whether one was.
func (s *Service) Get(ctx context.Context, key string, v any) (bool, error) {
	raw, err := getRaw(ctx, s.db, key)
	if err != nil || raw == "" {
		return false, err
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("settings: decode %s: %w", key, err)
	}
	return true, nil
}

// Put stores v as JSON under key.
func (s *Service) Put(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("settings: encode %s: %w", key, err)
	}
	return putRaw(ctx, s.db, key, string(b))
}
