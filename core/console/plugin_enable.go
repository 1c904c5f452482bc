package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// PluginEnable trusts the plugin's current binary and starts it (admins).
// A plugin that cannot be enabled (broken folder) stays on its page with
// the reason.
func (c *Console) PluginEnable(g *gin.Context) {
	err := c.Plugins.Enable(g.Request.Context(), actorOf(g), g.Param("id"))
	if errs.Is(err, errs.Invalid) {
		c.showPlugin(g, statusOf(err), submitted{err: errs.As(err)})
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/plugins/"+g.Param("id"), "enabled")
}
