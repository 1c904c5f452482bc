package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

type ticketUpdateRequest struct {
	State    *ticket.State   `json:"state"`
	Priority *int            `json:"priority"`
	Type     *ticket.Type    `json:"type"`
	Queue    queueRef        `json:"queue"`
	Owner    json.RawMessage `json:"owner"` // agent id, or null to unassign
}

// TicketUpdate changes state, priority, type, queue or owner; fields left out
// stay as they are.
func (a *API) TicketUpdate(c *gin.Context) {
	var req ticketUpdateRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		a.Errors.JSON(c, err)
		return
	}
	ctx := c.Request.Context()
	p := ticket.Patch{State: req.State, Priority: req.Priority, Type: req.Type}
	if req.Queue.set {
		id, err := a.resolveQueue(ctx, req.Queue)
		if err != nil {
			a.Errors.JSON(c, err)
			return
		}
		p.QueueID = &id
	}
	if req.Owner != nil {
		var owner int64
		if !bytes.Equal(req.Owner, []byte("null")) {
			if err := json.Unmarshal(req.Owner, &owner); err != nil || owner <= 0 {
				a.Errors.JSON(c, errs.Fields("invalid owner", map[string]string{"owner": "must be an agent id or null"}))
				return
			}
		}
		p.OwnerID = &owner
	}
	t, err := a.Tickets.Update(ctx, scope(), actor(c), c.Param("number"), p)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	s, err := a.Tickets.Summary(ctx, scope(), t.Number)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusOK, s)
}
