package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// QueueCreate adds a queue (admins).
func (c *Console) QueueCreate(g *gin.Context) {
	in := queueForm(g)
	_, err := c.Queues.Create(g.Request.Context(), in)
	if k := errs.KindOf(err); k == errs.Invalid || k == errs.Conflict {
		c.showQueues(g, statusOf(err), nil, in, errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/queues", "created")
}
