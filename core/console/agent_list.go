package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
)

type agentListView struct {
	Page
	Agents []agent.Agent
	Form   agent.Input
}

// AgentList lists the team, with the form to add an agent (admins).
func (c *Console) AgentList(g *gin.Context) { c.showAgents(g, http.StatusOK, agent.Input{}, nil) }

func (c *Console) showAgents(g *gin.Context, status int, form agent.Input, formErr *errs.Error) {
	agents, err := c.Agents.List(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	view := agentListView{Page: c.page(g, "", "agents"), Agents: agents, Form: form}
	view.Title, view.Err, view.Form.Password = view.L.T("console.agents.title"), formErr, ""
	c.render(g, status, "agent_list", &view)
}
