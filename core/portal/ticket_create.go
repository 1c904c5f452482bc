package portal

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/ticket"
)

// postRule caps what one customer may post (tickets and replies).
var postRule = ratelimit.Rule{Max: 60, Window: time.Hour}

// TicketCreate opens a ticket for the signed-in customer. There is no
// priority field: customers never set it.
func (p *Portal) TicketCreate(c *gin.Context) {
	ctx, r := c.Request.Context(), current(c)
	v, err := p.newView(c)
	if err != nil {
		p.failErr(c, err)
		return
	}
	v.Subject, v.Body, v.Type, v.FormToken = c.PostForm("subject"), c.PostForm("body"), c.PostForm("type"), c.PostForm("form_token")
	v.QueueID, _ = strconv.ParseInt(c.PostForm("queue"), 10, 64)
	if v.QueueID != 0 && !slices.ContainsFunc(v.Queues, func(q queue.Queue) bool { return q.ID == v.QueueID }) {
		v.QueueID = -1 // hidden queues are not the customer's to pick
	}
	if err := p.Limits.Allow(ctx, "portal_post:"+strconv.FormatInt(r.Customer.ID, 10), postRule); err != nil {
		p.failErr(c, err)
		return
	}
	blobs, refused, err := p.uploads(c)
	if refused != "" || err != nil {
		p.formError(c, v, refused, err)
		return
	}
	t, _, err := p.Tickets.Open(ctx, audit.Actor{Type: audit.ByCustomer, ID: r.Customer.ID}, ticket.OpenInput{
		Subject: v.Subject, Body: v.Body, CustomerEmail: r.Customer.Email, QueueID: max(v.QueueID, 0), Type: ticket.Type(v.Type),
		Channel: ticket.ChannelPortal, Attachments: blobs, IdempotencyKey: v.FormToken, IdempotencyScope: "portal:" + strconv.FormatInt(r.Customer.ID, 10)})
	if v.QueueID < 0 {
		err = errs.Fields("unknown queue", map[string]string{"queue": "no such queue"})
	}
	if err != nil {
		p.formError(c, v, "", err)
		return
	}
	c.Redirect(http.StatusSeeOther, p.BasePath+"/tickets/"+t.Number)
}

// formError shows the form again with what the customer typed and a
// message per field.
func (p *Portal) formError(c *gin.Context, v newView, refused string, err error) {
	l := current(c).L
	e := errs.As(err)
	if refused == "" && (e == nil || e.Kind != errs.Invalid) {
		p.failErr(c, err)
		return
	}
	v.Error, v.Fields = l.T("portal.form.fix"), map[string]string{}
	if refused != "" {
		v.Fields["file"] = refused
	}
	if e != nil {
		for f, msg := range e.Fields {
			switch {
			case msg == "required":
				v.Fields[f] = l.T("portal.form.required")
			case strings.Contains(msg, "at most"):
				v.Fields[f] = l.T("portal.form.too_long")
			default:
				v.Fields[f] = l.T("portal.form.invalid")
			}
		}
	}
	status := http.StatusBadRequest
	if refused == l.T("portal.files.too_large", "MB", current(c).Policy.MaxAttachmentMB) {
		status = http.StatusRequestEntityTooLarge
	}
	p.html(c, status, "ticket_new", v)
}
