package console

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// QueueUpdate saves a queue (admins).
func (c *Console) QueueUpdate(g *gin.Context) {
	ctx := g.Request.Context()
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	q, err := c.Queues.Get(ctx, id)
	if err != nil {
		c.fail(g, err)
		return
	}
	in := queueForm(g)
	_, err = c.Queues.Update(ctx, id, in)
	if k := errs.KindOf(err); k == errs.Invalid || k == errs.Conflict {
		c.showQueues(g, statusOf(err), q, in, errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/queues", "saved")
}
