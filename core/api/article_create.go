package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

type articleCreateRequest struct {
	Body     string `json:"body"`
	Internal bool   `json:"internal"`
}

// ArticleCreate adds a public reply (sent to the customer) or, with
// "internal": true, a note only agents see.
func (a *API) ArticleCreate(c *gin.Context) {
	var req articleCreateRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		a.Errors.JSON(c, err)
		return
	}
	kind := ticket.Public
	if req.Internal {
		kind = ticket.Internal
	}
	art, err := a.Tickets.AddArticle(c.Request.Context(), scope(), actor(c), c.Param("number"),
		ticket.ArticleInput{Kind: kind, Body: req.Body, Channel: ticket.ChannelAPI})
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusCreated, art)
}
