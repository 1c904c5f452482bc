package portal

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
)

// ticketView is a ticket's page, signed in or through a link.
type ticketView struct {
	Page
	Number     string
	Subject    string
	State      string
	Awaiting   bool
	Opened     string
	Articles   []articleView
	Action     string // where the page's forms post: …/tickets/N or …/t/N/token
	ViaLink    bool
	CanReply   bool
	CanClose   bool
	CanReopen  bool
	ReopenNote string
	Files      filesView
	Body       string
}

type articleView struct {
	Author string
	Mine   bool
	Ago    string
	At     string
	HTML   template.HTML // markup.PlainToHTML output: escaped text, safe links
	Files  []fileView
}

type fileView struct {
	Name   string
	URL    string
	Size   string
	Inline bool
}

// filesView describes the attachment policy next to a file input.
type filesView struct {
	Enabled bool
	Hint    string
	Accept  string
}

func (p *Portal) filesView(c *gin.Context) filesView {
	r := current(c)
	pol := r.Policy
	exts := make([]string, len(pol.AllowedExtensions))
	for i, e := range pol.AllowedExtensions {
		exts[i] = "." + e
	}
	return filesView{Enabled: pol.AttachmentsEnabled, Accept: strings.Join(exts, ","),
		Hint: r.L.T("portal.files.hint", "MB", pol.MaxAttachmentMB, "Types", strings.Join(pol.AllowedExtensions, ", "))}
}

// ticketPage builds the view of t with its public conversation; action is
// the URL prefix of its forms and files.
func (p *Portal) ticketPage(c *gin.Context, t *ticket.Ticket, action string, viaLink bool) (ticketView, error) {
	r := current(c)
	arts, err := p.Tickets.Articles(c.Request.Context(), ticket.OwnTickets(t.CustomerID), t)
	if err != nil {
		return ticketView{}, err
	}
	now := time.Now()
	v := ticketView{Page: p.page(c, t.Subject), Number: t.Number, Subject: t.Subject, State: r.L.T("common.state." + string(t.State)),
		Awaiting: t.State == ticket.PendingCustomer, Opened: r.L.T("portal.ticket.opened", "Ago", r.L.Ago(t.CreatedAt, now)),
		Action: action, ViaLink: viaLink, CanClose: ticket.CanClose(t), Files: p.filesView(c)}
	v.CanReply = !viaLink && t.State != ticket.Closed
	v.CanReopen, v.ReopenNote = reopenInfo(r.L.T, t, r.Policy, now)
	for _, a := range arts {
		v.Articles = append(v.Articles, articleOf(r.L.T, r.L.Ago(a.CreatedAt, now), a, action))
	}
	return v, nil
}

func reopenInfo(T func(string, ...any) string, t *ticket.Ticket, pol settings.Helpdesk, now time.Time) (bool, string) {
	switch ticket.CanReopen(t, pol.ReopenDays, now) {
	case ticket.ReopenAllowed:
		return true, ""
	case ticket.ReopenDisabled:
		return false, T("portal.ticket.reopen_disabled")
	case ticket.ReopenExpired:
		return false, T("portal.ticket.reopen_expired", "Days", pol.ReopenDays)
	}
	return false, ""
}

func articleOf(T func(string, ...any) string, ago string, a ticket.Article, action string) articleView {
	v := articleView{Author: a.AuthorName, Mine: a.AuthorType == ticket.AuthorCustomer, Ago: ago,
		At: a.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"), HTML: template.HTML(a.BodyHTML)}
	switch {
	case v.Mine:
		v.Author = T("portal.ticket.you")
	case v.Author == "":
		v.Author = T("portal.ticket.support")
	}
	for _, f := range a.Attachments {
		v.Files = append(v.Files, fileView{Name: f.Filename, URL: action + "/files/" + f.PublicID, Size: size(f.Size),
			Inline: attachment.SafeInline(f.ContentType)})
	}
	return v
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
