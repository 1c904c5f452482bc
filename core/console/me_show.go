package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
)

type myQueue struct {
	Queue      queue.Queue
	Access     agent.Access
	Subscribed bool
}

type meView struct {
	Page
	Queues []myQueue
}

// MeShow shows the agent's preferences: language, queue subscriptions and
// password.
func (c *Console) MeShow(g *gin.Context) { c.showMe(g, http.StatusOK, nil) }

func (c *Console) showMe(g *gin.Context, status int, formErr *errs.Error) {
	ctx, v := g.Request.Context(), me(g)
	perms, err := c.Agents.Permissions(ctx, v.Agent.ID)
	if err != nil {
		c.fail(g, err)
		return
	}
	queues, err := c.Queues.List(ctx)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := meView{Page: c.page(g, "", "me")}
	view.Title, view.Err = view.L.T("console.me.title"), formErr
	for _, q := range queues {
		for _, p := range perms {
			if p.QueueID == q.ID {
				view.Queues = append(view.Queues, myQueue{Queue: q, Access: p.Access, Subscribed: p.Subscribed})
			}
		}
	}
	c.render(g, status, "me", &view)
}
