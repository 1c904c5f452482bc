package portal

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/ticket"
)

// linkRule caps link look-ups per client IP, so tokens cannot be guessed
// at speed (they carry 132 bits anyway).
var linkRule = ratelimit.Rule{Max: 120, Window: time.Hour}

// linkTicket opens the ticket of a signed link, or answers the one 404 of
// every failure. Token pages are never cached and never leak their URL in a
// Referer. The token itself is never logged: routes log their pattern.
func (p *Portal) linkTicket(c *gin.Context) (*ticket.Ticket, bool) {
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Cache-Control", "no-store")
	if err := p.Limits.Allow(c.Request.Context(), "link_ip:"+c.ClientIP(), linkRule); err != nil {
		p.failErr(c, err)
		return nil, false
	}
	t, err := p.Links.Open(c.Request.Context(), c.Param("number"), c.Param("token"))
	if err != nil {
		p.failErr(c, err)
		return nil, false
	}
	return t, true
}

func (p *Portal) linkURL(c *gin.Context, t *ticket.Ticket) string {
	return p.BasePath + "/t/" + t.Number + "/" + c.Param("token")
}

// LinkShow is the read-only view of a ticket reached from a mail.
func (p *Portal) LinkShow(c *gin.Context) {
	t, ok := p.linkTicket(c)
	if !ok {
		return
	}
	v, err := p.ticketPage(c, t, p.linkURL(c, t), true)
	if err != nil {
		p.failErr(c, err)
		return
	}
	p.html(c, http.StatusOK, "ticket", v)
}

// LinkClose closes the ticket of a link.
func (p *Portal) LinkClose(c *gin.Context) {
	if t, ok := p.linkTicket(c); ok {
		_, err := p.Tickets.Close(c.Request.Context(), ticket.OwnTickets(t.CustomerID), audit.Actor{Type: audit.ByCustomer, ID: t.CustomerID}, t.Number)
		p.linkDone(c, t, err, "portal.ticket.closed_ok")
	}
}

// LinkReopen reopens the ticket of a link within the reopen window.
func (p *Portal) LinkReopen(c *gin.Context) {
	if t, ok := p.linkTicket(c); ok {
		_, err := p.Tickets.Reopen(c.Request.Context(), ticket.OwnTickets(t.CustomerID), audit.Actor{Type: audit.ByCustomer, ID: t.CustomerID}, t.Number, current(c).Policy.ReopenDays)
		p.linkDone(c, t, err, "portal.ticket.reopened_ok")
	}
}

func (p *Portal) linkDone(c *gin.Context, t *ticket.Ticket, err error, notice string) {
	if err != nil {
		p.failErr(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, p.linkURL(c, t)+"?notice="+notice)
}

// LinkFile serves a file of the link's ticket.
func (p *Portal) LinkFile(c *gin.Context) {
	if t, ok := p.linkTicket(c); ok {
		p.serveFile(c, ticket.OwnTickets(t.CustomerID), t.Number)
	}
}

// LinkSignIn sends a code to the ticket's own address, then asks for it and
// comes back to the ticket, where the customer can reply.
func (p *Portal) LinkSignIn(c *gin.Context) {
	t, ok := p.linkTicket(c)
	if !ok {
		return
	}
	var cu *customer.Customer
	cu, err := p.Customers.ByID(c.Request.Context(), t.CustomerID)
	if err != nil {
		p.failErr(c, err)
		return
	}
	flow, err := p.Auth.RequestCode(c.Request.Context(), cu.Email, c.ClientIP(), current(c).L.Lang)
	if err != nil {
		p.failErr(c, err)
		return
	}
	p.Cookies.Set(c, cookieFlow, flow, int(custauth.CodeTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin/code?next="+url.QueryEscape(p.BasePath+"/tickets/"+t.Number))
}
