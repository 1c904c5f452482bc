package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
)

type queueAccess struct {
	Queue  queue.Queue
	Access agent.Access
}

type agentEditView struct {
	Page
	Agent  *agent.Agent
	Queues []queueAccess
}

// AgentEdit shows an agent's profile and per-queue access (admins).
func (c *Console) AgentEdit(g *gin.Context) { c.showAgent(g, http.StatusOK, nil) }

func (c *Console) showAgent(g *gin.Context, status int, formErr *errs.Error) {
	ctx := g.Request.Context()
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	a, err := c.Agents.Get(ctx, id)
	if err != nil {
		c.fail(g, err)
		return
	}
	access, err := c.Agents.QueueAccess(ctx, id)
	if err != nil {
		c.fail(g, err)
		return
	}
	queues, err := c.Queues.List(ctx)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := agentEditView{Page: c.page(g, a.Name, "agents"), Agent: a}
	view.Err = formErr
	for _, q := range queues {
		view.Queues = append(view.Queues, queueAccess{Queue: q, Access: access[q.ID]})
	}
	c.render(g, status, "agent_edit", &view)
}
