package portal

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

// TicketReply adds the customer's message, with files, to their ticket.
func (p *Portal) TicketReply(c *gin.Context) {
	ctx, r := c.Request.Context(), current(c)
	t, err := p.Tickets.Get(ctx, scope(c), c.Param("number"))
	if err != nil {
		p.failErr(c, err) // checked before reading any file
		return
	}
	if err := p.Limits.Allow(ctx, "portal_post:"+strconv.FormatInt(r.Customer.ID, 10), postRule); err != nil {
		p.failErr(c, err)
		return
	}
	blobs, refused, err := p.uploads(c)
	if refused == "" && err == nil {
		_, err = p.Tickets.AddArticle(ctx, scope(c), audit.Actor{Type: audit.ByCustomer, ID: r.Customer.ID}, t.Number,
			ticket.ArticleInput{Kind: ticket.Public, Body: c.PostForm("body"), Channel: ticket.ChannelPortal, Attachments: blobs})
	}
	if refused == "" && err == nil {
		c.Redirect(http.StatusSeeOther, p.BasePath+"/tickets/"+t.Number)
		return
	}
	if e := errs.As(err); refused == "" && (e == nil || e.Kind != errs.Invalid) {
		p.failErr(c, err)
		return
	}
	v, verr := p.ticketPage(c, t, p.BasePath+"/tickets/"+t.Number, false)
	if verr != nil {
		p.failErr(c, verr)
		return
	}
	v.Body, v.Error = c.PostForm("body"), refused
	if v.Error == "" {
		v.Error = r.L.T("portal.form.required")
	}
	p.html(c, http.StatusBadRequest, "ticket", v)
}
