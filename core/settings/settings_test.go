package settings_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

func TestHelpdeskRoundTripAndDefaults(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := settings.NewService(bdb)
		h, err := s.Helpdesk(ctx)
		dbtest.Must(t, err)
		if h.MaxAttachmentMB != 10 || !h.AllowsExtension("PDF") || h.AllowsExtension("exe") {
			t.Errorf("defaults = %+v", h)
		}
		h.ReopenDays, h.AllowedExtensions = -1, []string{".PNG", "txt"}
		dbtest.Must(t, s.SaveHelpdesk(ctx, h))
		got, err := s.Helpdesk(ctx)
		dbtest.Must(t, err)
		if got.ReopenDays != -1 || !got.AllowsExtension("png") || got.AllowsExtension("pdf") {
			t.Errorf("after save = %+v", got)
		}
	})
}

func TestHelpdeskValidation(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*settings.Helpdesk)
		field string
	}{
		{"reopen below -1", func(h *settings.Helpdesk) { h.ReopenDays = -2 }, "reopen_days"},
		{"negative auto-close", func(h *settings.Helpdesk) { h.AutoCloseDays = -1 }, "auto_close_days"},
		{"zero MB", func(h *settings.Helpdesk) { h.MaxAttachmentMB = 0 }, "max_attachment_mb"},
		{"svg allowed", func(h *settings.Helpdesk) { h.AllowedExtensions = []string{"svg"} }, "allowed_extensions"},
		{"bad extension", func(h *settings.Helpdesk) { h.AllowedExtensions = []string{"a/b"} }, "allowed_extensions"},
		{"unknown language", func(h *settings.Helpdesk) { h.DefaultLanguage = "xx" }, "default_language"},
		{"origin with path", func(h *settings.Helpdesk) { h.EmbedOrigins = []string{"https://a.example/x"} }, "embed_origins"},
		{"plain http origin", func(h *settings.Helpdesk) { h.EmbedOrigins = []string{"http://intranet.example"} }, "embed_origins"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := settings.DefaultHelpdesk()
			tc.edit(&h)
			e := errs.As(h.Validate())
			if e == nil || e.Fields[tc.field] == "" {
				t.Errorf("Validate = %v, want an error on %s", e, tc.field)
			}
		})
	}
	ok := settings.DefaultHelpdesk()
	ok.EmbedOrigins = []string{"https://intranet.example.com", "https://erp.example.com:8443"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid settings refused: %v", err)
	}
}
