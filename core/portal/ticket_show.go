package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// TicketShow shows one of the customer's tickets and its public
// conversation; another customer's ticket is the same 404 as none.
func (p *Portal) TicketShow(c *gin.Context) {
	t, err := p.Tickets.Get(c.Request.Context(), scope(c), c.Param("number"))
	if err != nil {
		p.failErr(c, err)
		return
	}
	v, err := p.ticketPage(c, t, p.BasePath+"/tickets/"+t.Number, false)
	if err != nil {
		p.failErr(c, err)
		return
	}
	p.html(c, http.StatusOK, "ticket", v)
}
