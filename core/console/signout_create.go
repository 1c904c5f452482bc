package console

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// SignoutCreate ends the session on the server, so the cookie is worthless
// even if it was copied, and clears it.
func (c *Console) SignoutCreate(g *gin.Context) {
	if err := c.Agents.EndSession(g.Request.Context(), me(g).Session); err != nil {
		c.fail(g, err)
		return
	}
	c.Cookies.Set(g, sessionCookie, "", -1)
	g.Redirect(http.StatusSeeOther, c.root+"/signin")
}
