package console

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

// SettingsUpdate validates and saves the helpdesk settings (admins); each bad
// field is named and nothing is saved.
func (c *Console) SettingsUpdate(g *gin.Context) {
	bad := map[string]string{}
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(g.PostForm(name)))
		if err != nil {
			bad[name] = "must be a whole number"
		}
		return n
	}
	h := settings.Helpdesk{AutoCloseDays: num("auto_close_days"), ReopenDays: num("reopen_days"),
		AttachmentsEnabled: g.PostForm("attachments_enabled") == "1", MaxAttachmentMB: num("max_attachment_mb"),
		AllowedExtensions: splitList(g.PostForm("allowed_extensions")), DefaultLanguage: g.PostForm("default_language"),
		EmbedOrigins: splitList(g.PostForm("embed_origins"))}
	var err error = errs.Fields("invalid helpdesk settings", bad)
	if len(bad) == 0 {
		err = c.Settings.SaveHelpdesk(g.Request.Context(), h)
	}
	if errs.Is(err, errs.Invalid) {
		c.showSettings(g, statusOf(err), h, errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/settings", "saved")
}

// splitList reads a list typed with commas, spaces or one item per line.
func splitList(s string) []string {
	// Always a non-nil slice: an emptied list is saved as [], not null.
	return append([]string{}, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' || r == ' ' })...)
}
