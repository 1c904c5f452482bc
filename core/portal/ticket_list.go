package portal

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/ticket"
)

// listView is "my tickets".
type listView struct {
	Page
	Items []listItem
	More  string
}

type listItem struct {
	Number, Subject, State, Updated, UpdatedAt string
	Awaiting, Closed                           bool
}

// TicketList shows the customer's tickets, newest activity first.
func (p *Portal) TicketList(c *gin.Context) {
	l := current(c).L
	page, err := p.Tickets.List(c.Request.Context(), scope(c), ticket.ListQuery{Sort: "-updated_at", Limit: 25, Cursor: c.Query("cursor")})
	if err != nil {
		p.failErr(c, err)
		return
	}
	v := listView{Page: p.page(c, l.T("portal.list.title"))}
	now := time.Now()
	for _, t := range page.Items {
		v.Items = append(v.Items, listItem{Number: t.Number, Subject: t.Subject, State: l.T("common.state." + string(t.State)),
			Updated: l.T("portal.list.updated", "Ago", l.Ago(t.UpdatedAt, now)), UpdatedAt: t.UpdatedAt.UTC().Format(time.RFC3339),
			Awaiting: t.State == ticket.PendingCustomer, Closed: t.State == ticket.Closed})
	}
	if page.NextCursor != "" {
		v.More = p.BasePath + "/tickets?cursor=" + page.NextCursor
	}
	p.html(c, http.StatusOK, "tickets", v)
}
