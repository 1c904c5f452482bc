package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/web"
)

// QueueList lists every queue.
func (a *API) QueueList(c *gin.Context) {
	qs, err := a.Queues.List(c.Request.Context())
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": qs})
}

type queueCreateRequest struct {
	Name               string `json:"name"`
	Description        string `json:"description"`
	VisibleToCustomers *bool  `json:"visible_to_customers"`
	DefaultType        string `json:"default_type"`
}

// QueueCreate adds a queue; customers may pick it unless
// visible_to_customers is false.
func (a *API) QueueCreate(c *gin.Context) {
	var req queueCreateRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		a.Errors.JSON(c, err)
		return
	}
	visible := req.VisibleToCustomers == nil || *req.VisibleToCustomers
	q, err := a.Queues.Create(c.Request.Context(), queue.Input{Name: req.Name, Description: req.Description,
		VisibleToCustomers: visible, DefaultType: req.DefaultType})
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusCreated, q)
}
