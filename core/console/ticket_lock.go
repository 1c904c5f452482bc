package console

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

type lockFunc func(ctx context.Context, scope ticket.Scope, actor audit.Actor, number string) (*ticket.Ticket, error)

// lockAction runs one of the ticket service's lock operations and comes
// back to the ticket; a conflict shows who holds it.
func (c *Console) lockAction(op lockFunc, done string) gin.HandlerFunc {
	return func(g *gin.Context) {
		_, err := op(g.Request.Context(), me(g).Scope, actorOf(g), g.Param("number"))
		switch errs.KindOf(err) {
		case "":
			c.done(g, "/tickets/"+g.Param("number"), done)
		case errs.Conflict, errs.Forbidden:
			c.showTicket(g, statusOf(err), errs.As(err))
		default:
			c.fail(g, err)
		}
	}
}

// TicketLock takes the ticket: it is locked to the agent, who becomes owner.
func (c *Console) TicketLock(g *gin.Context) { c.lockAction(c.Tickets.Lock, "locked")(g) }

// TicketUnlock releases the agent's lock.
func (c *Console) TicketUnlock(g *gin.Context) { c.lockAction(c.Tickets.Unlock, "unlocked")(g) }

// TicketTakeOver takes a ticket another agent holds, explicitly.
func (c *Console) TicketTakeOver(g *gin.Context) { c.lockAction(c.Tickets.TakeOver, "taken")(g) }
