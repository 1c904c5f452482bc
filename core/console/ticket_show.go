package console

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ticket"
)

type articleView struct {
	ticket.Article
	Body   template.HTML // sanitised by core/markup when stored
	Images []attachment.Attachment
	Files  []attachment.Attachment
}

type historyLine struct {
	audit.Entry
	Who      string
	From, To string // the change, in words
}

type ticketView struct {
	Page
	T             *ticket.Summary
	Articles      []articleView
	History       []historyLine
	Customer      *customer.Customer
	Organization  string
	Others        []ticket.Summary
	Queues        []queue.Queue // queues the agent may move the ticket to
	Agents        []agent.Agent // possible owners
	CanWrite      bool
	LockedByMe    bool
	LockedByOther bool
	Draft         string
	DraftKind     string
	States        []ticket.State
	Types         []ticket.Type
	Priorities    []int
	Plugins       ticketPlugins
}

// TicketShow shows one ticket: conversation, actions, customer, history.
func (c *Console) TicketShow(g *gin.Context) { c.showTicket(g, http.StatusOK, nil) }

// showTicket renders the ticket view, with a form problem when an action
// failed (the draft is kept so nothing typed is lost).
func (c *Console) showTicket(g *gin.Context, status int, formErr *errs.Error) {
	ctx, v := g.Request.Context(), me(g)
	t, err := c.Tickets.Summary(ctx, v.Scope, g.Param("number"))
	if err != nil {
		c.fail(g, err)
		return
	}
	view := ticketView{Page: c.page(g, t.Number+" · "+t.Subject, "tickets"), T: t, CanWrite: v.Scope.CanWrite(&t.Ticket),
		LockedByMe: t.LockedBy == v.Agent.ID, LockedByOther: t.LockedBy != 0 && t.LockedBy != v.Agent.ID,
		States: ticket.States, Types: ticket.Types, Priorities: []int{1, 2, 3, 4, 5}}
	view.Err, view.Live = formErr, c.root+"/live?t="+t.Number
	if formErr != nil {
		view.Draft, view.DraftKind = g.PostForm("body"), g.PostForm("kind")
	}
	if err := c.loadConversation(g, &view); err != nil {
		c.fail(g, err)
		return
	}
	if err := c.loadSidePanel(g, &view); err != nil {
		c.fail(g, err)
		return
	}
	view.Plugins = c.ticketPlugins(g, t)
	c.render(g, status, "ticket_show", &view)
}

func (c *Console) loadConversation(g *gin.Context, view *ticketView) error {
	ctx, v := g.Request.Context(), me(g)
	arts, err := c.Tickets.Articles(ctx, v.Scope, &view.T.Ticket)
	if err != nil {
		return err
	}
	for _, a := range arts {
		av := articleView{Article: a, Body: template.HTML(a.BodyHTML)}
		for _, f := range a.Attachments {
			if attachment.SafeInline(f.ContentType) {
				av.Images = append(av.Images, f)
			} else {
				av.Files = append(av.Files, f)
			}
		}
		view.Articles = append(view.Articles, av)
	}
	entries, err := c.Tickets.History(ctx, v.Scope, &view.T.Ticket)
	if err != nil {
		return err
	}
	agents, err := c.Agents.List(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, a := range agents {
		names[a.ID] = a.Name
	}
	view.Agents = c.ownerChoices(g, agents, view.T)
	queues, err := c.Queues.List(ctx)
	if err != nil {
		return err
	}
	qnames := map[string]string{}
	for _, q := range queues {
		qnames[itoa(q.ID)] = q.Name
	}
	for _, e := range entries {
		h := historyLine{Entry: e, Who: view.L.T("console.actor." + string(e.ActorType))}
		if e.ActorType == audit.ByAgent {
			h.Who = names[e.ActorID]
		}
		h.From, h.To = view.historyWords(e, names, qnames)
		view.History = append(view.History, h)
	}
	return nil
}

// historyWords turns an audit entry's raw values (ids, codes) into words.
func (view *ticketView) historyWords(e audit.Entry, agents map[int64]string, queues map[string]string) (string, string) {
	l := view.L
	word := func(v string) string {
		switch e.Action {
		case "ticket.set_state":
			return l.T("console.state." + v)
		case "ticket.set_type":
			return l.T("common.type." + v)
		case "ticket.set_queue":
			return queues[v]
		case "ticket.set_owner", "ticket.take_over":
			id, _ := strconv.ParseInt(v, 10, 64)
			if id == 0 {
				return "—"
			}
			return agents[id]
		}
		return v
	}
	var from, to string
	if v, ok := e.Detail["from"]; ok {
		from = word(v)
	}
	if v, ok := e.Detail["to"]; ok {
		to = word(v)
	}
	return from, to
}

// ownerChoices lists the enabled agents who could own the ticket: admins and
// agents with write access to its queue (the ticket service checks again).
func (c *Console) ownerChoices(g *gin.Context, agents []agent.Agent, t *ticket.Summary) []agent.Agent {
	var out []agent.Agent
	for _, a := range agents {
		if a.DisabledAt != nil {
			continue
		}
		if a.IsAdmin() || a.ID == t.OwnerID {
			out = append(out, a)
			continue
		}
		if acc, err := c.Agents.QueueAccess(g.Request.Context(), a.ID); err == nil && acc[t.QueueID] == agent.Write {
			out = append(out, a)
		}
	}
	return out
}

func (c *Console) loadSidePanel(g *gin.Context, view *ticketView) error {
	ctx, v := g.Request.Context(), me(g)
	cu, err := c.Customers.ByID(ctx, view.T.CustomerID)
	if err != nil {
		return err
	}
	view.Customer, view.Organization = cu, view.T.OrganizationName
	others, err := c.Tickets.List(ctx, v.Scope, ticket.ListQuery{CustomerID: cu.ID, Limit: 10})
	if err != nil {
		return err
	}
	for _, o := range others.Items {
		if o.ID != view.T.ID {
			view.Others = append(view.Others, o)
		}
	}
	queues, err := c.Queues.List(ctx)
	if err != nil {
		return err
	}
	for _, q := range queues {
		if v.Scope.CanWriteQueue(q.ID) || q.ID == view.T.QueueID {
			view.Queues = append(view.Queues, q)
		}
	}
	return nil
}
