package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/queue"
)

// QueueEdit shows one queue's form (admins).
func (c *Console) QueueEdit(g *gin.Context) {
	id, _ := strconv.ParseInt(g.Param("id"), 10, 64)
	q, err := c.Queues.Get(g.Request.Context(), id)
	if err != nil {
		c.fail(g, err)
		return
	}
	in := queue.Input{Name: q.Name, Description: q.Description, VisibleToCustomers: q.VisibleToCustomers, DefaultType: q.DefaultType}
	c.showQueues(g, http.StatusOK, q, in, nil)
}
