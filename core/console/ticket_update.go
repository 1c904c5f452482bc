package console

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

// TicketUpdate changes state, priority, type, queue and owner in one form.
// Fields left out of the form stay as they are; the ticket service changes
// and audits only what differs.
func (c *Console) TicketUpdate(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	p, err := parsePatch(g)
	if err == nil {
		_, err = c.Tickets.Update(ctx, v.Scope, actorOf(g), g.Param("number"), p)
	}
	switch errs.KindOf(err) {
	case "":
		c.done(g, "/tickets/"+g.Param("number"), "changed")
	case errs.Invalid, errs.Conflict, errs.Forbidden:
		c.showTicket(g, statusOf(err), errs.As(err))
	default:
		c.fail(g, err)
	}
}

func parsePatch(g *gin.Context) (ticket.Patch, error) {
	var p ticket.Patch
	bad := map[string]string{}
	if s, ok := g.GetPostForm("state"); ok {
		st := ticket.State(s)
		p.State = &st
	}
	if s, ok := g.GetPostForm("type"); ok {
		ty := ticket.Type(s)
		p.Type = &ty
	}
	if s, ok := g.GetPostForm("priority"); ok {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad["priority"] = "must be a number"
		}
		p.Priority = &n
	}
	for name, dst := range map[string]**int64{"queue": &p.QueueID, "owner": &p.OwnerID} {
		if s, ok := g.GetPostForm(name); ok {
			n, err := strconv.ParseInt(s, 10, 64)
			if s == "" {
				n, err = 0, nil
			}
			if err != nil || n < 0 {
				bad[name] = "must be a number"
			}
			*dst = &n
		}
	}
	if len(bad) > 0 {
		return p, errs.Fields("invalid change", bad)
	}
	return p, nil
}
