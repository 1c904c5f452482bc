package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
)

type setupView struct {
	Page
	Token string
	Form  agent.Input
}

// SetupShow shows the first-admin form behind the one-time URL printed by
// `guichet serve`. A used, expired or unknown token is a 404.
func (c *Console) SetupShow(g *gin.Context) {
	token := g.Param("token")
	if err := c.Agents.CheckSetupToken(g.Request.Context(), token); err != nil {
		c.fail(g, err)
		return
	}
	v := setupView{Page: c.page(g, "", ""), Token: token}
	v.Title = v.L.T("console.setup.title")
	g.Header("Referrer-Policy", "no-referrer")
	c.render(g, http.StatusOK, "setup", &v)
}
