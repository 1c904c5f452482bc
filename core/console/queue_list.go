package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
)

type queueListView struct {
	Page
	Queues []queue.Queue
	Form   queue.Input
	Edit   *queue.Queue // the queue being edited, on its own page
	Types  []string
}

// QueueList lists queues with the form to add one (admins).
func (c *Console) QueueList(g *gin.Context) {
	c.showQueues(g, http.StatusOK, nil, queue.Input{VisibleToCustomers: true}, nil)
}

func (c *Console) showQueues(g *gin.Context, status int, edit *queue.Queue, form queue.Input, formErr *errs.Error) {
	queues, err := c.Queues.List(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	view := queueListView{Page: c.page(g, "", "queues"), Queues: queues, Form: form, Edit: edit, Types: queue.Types}
	view.Title, view.Err = view.L.T("console.queues.title"), formErr
	c.render(g, status, "queue_list", &view)
}

func queueForm(g *gin.Context) queue.Input {
	return queue.Input{Name: g.PostForm("name"), Description: g.PostForm("description"),
		VisibleToCustomers: g.PostForm("visible") == "1", DefaultType: g.PostForm("default_type")}
}
