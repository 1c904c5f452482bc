package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
)

// AgentCreate adds an agent with an initial password the admin hands over;
// queue access is granted on the agent's page, where this lands.
func (c *Console) AgentCreate(g *gin.Context) {
	in := agent.Input{Name: g.PostForm("name"), Email: g.PostForm("email"), Role: agent.Role(g.PostForm("role")),
		Password: g.PostForm("password"), Language: g.PostForm("language")}
	if in.Language != "fr" && in.Language != "en" {
		in.Language = ""
	}
	a, err := c.Agents.Create(g.Request.Context(), in)
	if errs.Is(err, errs.Invalid) {
		c.showAgents(g, statusOf(err), in, errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/agents/"+itoa(a.ID), "created")
}
