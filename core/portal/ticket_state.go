package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/audit"
)

// TicketClose closes the customer's ticket.
func (p *Portal) TicketClose(c *gin.Context) {
	r := current(c)
	t, err := p.Tickets.Close(c.Request.Context(), scope(c), audit.Actor{Type: audit.ByCustomer, ID: r.Customer.ID}, c.Param("number"))
	if err != nil {
		p.failErr(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, p.BasePath+"/tickets/"+t.Number+"?notice=portal.ticket.closed_ok")
}

// TicketReopen reopens the customer's ticket within the reopen window.
func (p *Portal) TicketReopen(c *gin.Context) {
	r := current(c)
	t, err := p.Tickets.Reopen(c.Request.Context(), scope(c), audit.Actor{Type: audit.ByCustomer, ID: r.Customer.ID}, c.Param("number"), r.Policy.ReopenDays)
	if err != nil {
		p.failErr(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, p.BasePath+"/tickets/"+t.Number+"?notice=portal.ticket.reopened_ok")
}
