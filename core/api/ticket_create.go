package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

type ticketCreateRequest struct {
	Subject       string   `json:"subject"`
	Body          string   `json:"body"`
	CustomerEmail string   `json:"customer_email"`
	CustomerName  string   `json:"customer_name"`
	Queue         queueRef `json:"queue"`
	Type          string   `json:"type"`
	Priority      int      `json:"priority"`
}

// TicketCreate opens a ticket. An Idempotency-Key header makes retries return
// the first ticket (with Idempotent-Replayed: true) instead of a duplicate.
func (a *API) TicketCreate(c *gin.Context) {
	var req ticketCreateRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		a.Errors.JSON(c, err)
		return
	}
	ctx := c.Request.Context()
	queueID, err := a.resolveQueue(ctx, req.Queue)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	t, replayed, err := a.Tickets.Open(ctx, actor(c), ticket.OpenInput{
		Subject: req.Subject, Body: req.Body, CustomerEmail: req.CustomerEmail, CustomerName: req.CustomerName,
		QueueID: queueID, Type: ticket.Type(req.Type), Priority: req.Priority, Channel: ticket.ChannelAPI,
		IdempotencyKey: c.GetHeader("Idempotency-Key"), IdempotencyScope: "api_key:" + itoa(key(c).ID),
	})
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	s, err := a.Tickets.Summary(ctx, scope(), t.Number)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.Header("Location", "/api/v1/tickets/"+t.Number)
	c.JSON(http.StatusCreated, s)
}
