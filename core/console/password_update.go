package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// PasswordUpdate changes the agent's own password after checking the
// current one; their other sessions end, this one stays.
func (c *Console) PasswordUpdate(g *gin.Context) {
	v := me(g)
	err := c.Agents.ChangePassword(g.Request.Context(), v.Agent.ID, g.PostForm("current"), g.PostForm("password"), v.Session)
	if errs.Is(err, errs.Invalid) {
		c.showMe(g, statusOf(err), errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/me", "password")
}
