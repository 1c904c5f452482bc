package console

import "github.com/gin-gonic/gin"

// PluginDisable stops the plugin now and keeps it stopped (admins).
func (c *Console) PluginDisable(g *gin.Context) {
	ctx, id := g.Request.Context(), g.Param("id")
	if _, err := c.Plugins.Get(ctx, id); err != nil { // only plugins that exist
		c.fail(g, err)
		return
	}
	if err := c.Plugins.Disable(ctx, actorOf(g), id); err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/plugins/"+id, "disabled")
}
