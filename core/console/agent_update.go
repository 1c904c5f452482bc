package console

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
)

// AgentUpdate saves an agent's profile (admins).
func (c *Console) AgentUpdate(g *gin.Context) {
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	p := agent.Profile{Name: g.PostForm("name"), Email: g.PostForm("email"), Role: agent.Role(g.PostForm("role")),
		Language: g.PostForm("language")}
	_, err := c.Agents.Update(g.Request.Context(), id, p)
	c.agentDone(g, id, err)
}

// AgentDisable disables or re-enables an agent (admins); disabling signs
// them out everywhere at once.
func (c *Console) AgentDisable(g *gin.Context) {
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	err := c.Agents.SetDisabled(g.Request.Context(), id, g.PostForm("disabled") == "1")
	c.agentDone(g, id, err)
}

// AgentQueues sets an agent's access per queue: none, read or write.
func (c *Console) AgentQueues(g *gin.Context) {
	ctx := g.Request.Context()
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	if _, err := c.Agents.Get(ctx, id); err != nil {
		c.fail(g, err)
		return
	}
	queues, err := c.Queues.List(ctx)
	for i := 0; err == nil && i < len(queues); i++ {
		q := queues[i]
		err = c.Agents.SetQueueAccess(ctx, id, q.ID, agent.Access(g.PostForm("access_"+itoa(q.ID))))
	}
	c.agentDone(g, id, err)
}

func (c *Console) agentDone(g *gin.Context, id int64, err error) {
	switch errs.KindOf(err) {
	case "":
		c.done(g, "/agents/"+itoa(id), "saved")
	case errs.Invalid, errs.Conflict:
		c.showAgent(g, statusOf(err), errs.As(err))
	default:
		c.fail(g, err)
	}
}
