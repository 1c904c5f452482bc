package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
)

type ticketWithArticles struct {
	*ticket.Summary
	Articles []ticket.Article `json:"articles"`
}

// TicketGet returns a ticket with its whole conversation, internal notes
// included (API keys act for the support team).
func (a *API) TicketGet(c *gin.Context) {
	ctx := c.Request.Context()
	s, err := a.Tickets.Summary(ctx, scope(), c.Param("number"))
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	arts, err := a.Tickets.Articles(ctx, scope(), &s.Ticket)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusOK, ticketWithArticles{Summary: s, Articles: arts})
}
