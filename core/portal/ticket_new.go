package portal

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ticket"
)

// newView is the new-ticket form.
type newView struct {
	Page
	Queues    []queue.Queue
	Types     []option
	FormToken string
	Subject   string
	Body      string
	QueueID   int64
	Type      string
	Fields    map[string]string
	Files     filesView
}

type option struct {
	Value, Label string
}

// TicketNew shows the form. Its one-time form token becomes the ticket's
// idempotency key, so a double submit opens one ticket.
func (p *Portal) TicketNew(c *gin.Context) {
	v, err := p.newView(c)
	if err != nil {
		p.failErr(c, err)
		return
	}
	p.html(c, http.StatusOK, "ticket_new", v)
}

func (p *Portal) newView(c *gin.Context) (newView, error) {
	l := current(c).L
	qs, err := p.Queues.ListVisible(c.Request.Context())
	if err != nil {
		return newView{}, err
	}
	b := make([]byte, 18)
	rand.Read(b)
	v := newView{Page: p.page(c, l.T("portal.new.title")), Queues: qs, FormToken: base64.RawURLEncoding.EncodeToString(b), Files: p.filesView(c)}
	for _, t := range ticket.Types {
		v.Types = append(v.Types, option{Value: string(t), Label: l.T("common.type." + string(t))})
	}
	return v, nil
}
