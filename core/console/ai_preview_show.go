package console

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/pluginhost"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/sdk"
)

type aiPreviewView struct {
	Page
	T      *ticket.Summary
	People []pluginhost.Person
	// Text is exactly what would leave, shown escaped as text.
	Text         string
	Replacements int
	Plugin       string
	// Blocked is set when nothing may leave: no anonymizer (None) or one
	// that failed (Problem says why).
	Blocked, None bool
	Problem       string
}

// AIPreviewShow shows an agent exactly what would leave for an external AI
// from this ticket (agents, scoped read): the conversation as they see it,
// anonymized with the ticket's known people. It fails closed: without a
// working anonymizer it says that nothing can be sent, and shows no text.
func (c *Console) AIPreviewShow(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	t, err := c.Tickets.Summary(ctx, v.Scope, g.Param("number"))
	if err != nil {
		c.fail(g, err)
		return
	}
	arts, err := c.Tickets.Articles(ctx, v.Scope, &t.Ticket)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := aiPreviewView{Page: c.page(g, "", "tickets"), T: t,
		People: []pluginhost.Person{{Name: t.CustomerName, Emails: []string{t.CustomerEmail}}}}
	view.Title = t.Number + " · " + view.L.T("ai.title")
	if c.AI == nil || !c.AI.Provides(sdk.CapAnonymizer) {
		view.Blocked, view.None = true, true
		c.render(g, http.StatusServiceUnavailable, "ai_preview", &view)
		return
	}
	out, err := c.AI.Anonymize(ctx, conversationText(arts), view.People)
	if errs.Is(err, errs.Unavailable) {
		view.Blocked, view.Problem = true, errs.As(err).Message
		c.render(g, http.StatusServiceUnavailable, "ai_preview", &view)
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	view.Text, view.Replacements, view.Plugin = out.Text, len(out.Replacements), out.Plugin
	c.render(g, http.StatusOK, "ai_preview", &view)
}

// conversationText is the ticket's conversation as an AI would get it: each
// message's kind, author role and time, then its plain text. Authors are
// named by role only, so agents' names never leave either.
func conversationText(arts []ticket.Article) string {
	var b strings.Builder
	for _, a := range arts {
		fmt.Fprintf(&b, "--- %s · %s · %s ---\n%s\n\n", a.Kind, a.AuthorType, a.CreatedAt.UTC().Format("2006-01-02 15:04"), strings.TrimSpace(a.BodyText))
	}
	return b.String()
}
