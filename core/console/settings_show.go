package console

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

type settingsView struct {
	Page
	H          settings.Helpdesk
	Extensions string
	Origins    string
	Languages  []string
}

// SettingsShow shows the helpdesk settings (admins).
func (c *Console) SettingsShow(g *gin.Context) {
	h, err := c.Settings.Helpdesk(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	c.showSettings(g, http.StatusOK, h, nil)
}

func (c *Console) showSettings(g *gin.Context, status int, h settings.Helpdesk, formErr *errs.Error) {
	view := settingsView{Page: c.page(g, "", "settings"), H: h, Languages: settings.Languages,
		Extensions: strings.Join(h.AllowedExtensions, ", "), Origins: strings.Join(h.EmbedOrigins, "\n")}
	view.Title, view.Err = view.L.T("console.settings.title"), formErr
	c.render(g, status, "settings", &view)
}
