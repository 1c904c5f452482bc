package console

import (
	"strconv"

	"github.com/gin-gonic/gin"
)

// APIKeyRevoke disables a key at once (admins).
func (c *Console) APIKeyRevoke(g *gin.Context) {
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	if err := c.Keys.Revoke(g.Request.Context(), id); err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/settings/apikeys", "revoked")
}
