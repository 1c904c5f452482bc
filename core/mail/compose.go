package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
)

// Outbox kinds of the mails to customers; server.Build makes the ticket
// events fan out to them.
const (
	JobTicketCreated  = "mail.ticket_created"
	JobArticleCreated = "mail.article_created"
)

// Mailer composes the customer mails and hands them to a Sender.
type Mailer struct {
	DB        *bun.DB
	Sender    Sender
	I18n      *i18n.Bundle
	Tickets   *ticket.Service
	Links     *ticket.Links
	Customers *customer.Service
	Settings  *settings.Service
	Unseal    func(ctx context.Context, sealed string) (string, error)
	// PublicURL is where customers reach the portal, such as
	// https://help.example.com/support; links in mails start with it.
	PublicURL string
	// From is the sender address when the brand has none.
	From string
}

// Register makes the runner send the mails of kinds JobCodeMail,
// JobTicketCreated and JobArticleCreated.
func (m *Mailer) Register(r *jobs.Runner) {
	r.Handle(custauth.JobCodeMail, m.sendCode)
	r.Handle(JobTicketCreated, m.sendTicketCreated)
	r.Handle(JobArticleCreated, m.sendReply)
}

func (m *Mailer) sendCode(ctx context.Context, j jobs.Job) error {
	var p custauth.CodeMail
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return jobs.Permanent(err)
	}
	code, err := m.Unseal(ctx, p.Sealed)
	if err != nil {
		return jobs.Permanent(err)
	}
	b, err := brandOf(ctx, m.DB, 0)
	if err != nil {
		return err
	}
	l := m.I18n.For(i18n.Negotiate(p.Lang, "", "fr"))
	c := content{Brand: b.Name, Lang: l.Lang, Paragraphs: []string{l.T("mail.code.intro", "Brand", b.Name)}, Code: code,
		After: []string{l.T("mail.code.expiry"), l.T("mail.code.ignore")}, Footer: l.T("mail.footer", "Brand", b.Name)}
	return m.send(ctx, "code", b, p.To, l.T("mail.code.subject", "Code", code), c, code)
}

func (m *Mailer) sendTicketCreated(ctx context.Context, j jobs.Job) error {
	t, c, l, link, b, err := m.ticketContext(ctx, j)
	if err != nil || t == nil {
		return err
	}
	body := content{Brand: b.Name, Lang: l.Lang, Paragraphs: []string{l.T("mail.created.intro", "Number", t.Number), l.T("mail.created.follow")},
		Link: link, LinkLabel: l.T("mail.link"), Footer: l.T("mail.footer", "Brand", b.Name)}
	return m.send(ctx, "ticket_created", b, c.Email, l.T("mail.created.subject", "Number", t.Number, "Subject", t.Subject), body, "")
}

func (m *Mailer) sendReply(ctx context.Context, j jobs.Job) error {
	var ev ticket.Event
	if err := json.Unmarshal(j.Payload, &ev); err != nil {
		return jobs.Permanent(err)
	}
	// Only an agent's public reply is news for the customer.
	if ev.Kind != ticket.Public || ev.Author != ticket.AuthorAgent {
		return nil
	}
	t, c, l, link, b, err := m.ticketContext(ctx, j)
	if err != nil || t == nil {
		return err
	}
	arts, err := m.Tickets.Articles(ctx, ticket.OwnTickets(t.CustomerID), t)
	if err != nil {
		return err
	}
	var a *ticket.Article
	for i := range arts {
		if arts[i].ID == ev.ArticleID {
			a = &arts[i]
		}
	}
	if a == nil {
		return nil // not public any more, or gone: nothing to tell
	}
	agent := a.AuthorName
	if agent == "" {
		agent = l.T("mail.support_team")
	}
	body := content{Brand: b.Name, Lang: l.Lang, Paragraphs: []string{l.T("mail.reply.intro", "Agent", agent, "Number", t.Number)},
		Quote: a.BodyText, QuoteHTML: template.HTML(a.BodyHTML), After: []string{l.T("mail.reply.follow")},
		Link: link, LinkLabel: l.T("mail.link"), Footer: l.T("mail.footer", "Brand", b.Name)}
	return m.send(ctx, "reply", b, c.Email, l.T("mail.reply.subject", "Number", t.Number, "Subject", t.Subject), body, "")
}

// ticketContext loads what every ticket mail needs. A ticket that no longer
// exists yields nil and no error: there is no one to write to.
func (m *Mailer) ticketContext(ctx context.Context, j jobs.Job) (*ticket.Ticket, *customer.Customer, *i18n.Localizer, string, brand, error) {
	var ev ticket.Event
	if err := json.Unmarshal(j.Payload, &ev); err != nil {
		return nil, nil, nil, "", brand{}, jobs.Permanent(err)
	}
	t, err := m.Tickets.Get(ctx, ticket.AllQueues(), ev.Number)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, nil, "", brand{}, nil
	}
	if err != nil {
		return nil, nil, nil, "", brand{}, err
	}
	c, err := m.Customers.ByID(ctx, t.CustomerID)
	if err != nil {
		return nil, nil, nil, "", brand{}, err
	}
	h, err := m.Settings.Helpdesk(ctx)
	if err != nil {
		return nil, nil, nil, "", brand{}, err
	}
	token, err := m.Links.Token(ctx, t)
	if err != nil {
		return nil, nil, nil, "", brand{}, err
	}
	b, err := brandOf(ctx, m.DB, t.BrandID)
	link := strings.TrimSuffix(m.PublicURL, "/") + "/t/" + t.Number + "/" + token
	return t, c, m.I18n.For(i18n.Negotiate(c.Language, "", h.DefaultLanguage)), link, b, err
}

func (m *Mailer) send(ctx context.Context, kind string, b brand, to, subject string, c content, code string) error {
	text, html, err := c.render()
	if err != nil {
		return jobs.Permanent(err)
	}
	from := b.Sender
	if from == "" {
		from = m.From
	}
	if b.Name != "" && !strings.Contains(from, "<") {
		from = fmt.Sprintf("%q <%s>", HeaderSafe(b.Name), from)
	}
	return m.Sender.Send(ctx, Message{Kind: kind, From: from, To: to, Subject: subject, Text: text, HTML: html, Code: code})
}
