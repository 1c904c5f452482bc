package console

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/web"
)

// Page is what the layout needs; every view embeds it.
type Page struct {
	Title string
	Nav   string // the active section: tickets, queues, agents, settings, me
	L     *i18n.Localizer
	Me    *agent.Agent // nil when signed out
	CSRF  string
	Nonce string
	Root  string
	CSS   string
	JS    string
	Now   time.Time
	// Done is a confirmation message id shown once after a redirect.
	Done string
	// Err is a problem with the submitted form, shown above it.
	Err *errs.Error
	// Live, when set, is the URL the page polls to refresh itself.
	Live string
}

// page fills the layout's part of a view.
func (c *Console) page(g *gin.Context, title, nav string) Page {
	p := Page{Title: title, Nav: nav, L: c.localizer(g), CSRF: web.CSRFToken(g), Nonce: web.Nonce(g), Root: c.root, Now: time.Now()}
	if v := me(g); v != nil {
		p.Me = v.Agent
	}
	p.CSS, _ = c.Assets.URL("console.css")
	p.JS, _ = c.Assets.URL("console.js")
	if d := g.Query("done"); doneMessages[d] {
		p.Done = "console.done." + d
	}
	return p
}

// doneMessages allowlists the confirmations a redirect may ask for.
var doneMessages = map[string]bool{"replied": true, "noted": true, "changed": true, "locked": true, "unlocked": true,
	"taken": true, "saved": true, "created": true, "revoked": true, "password": true, "enabled": true, "disabled": true}

// render writes a page; the console's pages are never cached.
func (c *Console) render(g *gin.Context, status int, name string, view any) {
	g.Header("Cache-Control", "no-store")
	if err := c.pages.HTML(g, status, "console/"+name, view); err != nil {
		c.Log.Error("console: render", "page", name, "request_id", web.RequestID(g), "err", err)
		g.AbortWithStatus(http.StatusInternalServerError)
	}
}

type errorView struct {
	Page
	Kind      errs.Kind
	Message   string
	RequestID string
}

// fail renders the error page for err with the status of its kind.
func (c *Console) fail(g *gin.Context, err error) {
	e := c.Errors.Kinded(g, err)
	if e.Kind == errs.Unauthorized {
		g.Redirect(http.StatusSeeOther, c.root+"/signin")
		g.Abort()
		return
	}
	v := errorView{Page: c.page(g, "", ""), Kind: e.Kind, Message: e.Message, RequestID: web.RequestID(g)}
	v.Title = v.L.T("console.error.title")
	c.render(g, web.Status(e), "error", &v)
	g.Abort()
}

// done redirects after a successful form with a confirmation.
func (c *Console) done(g *gin.Context, path, what string) {
	g.Redirect(http.StatusSeeOther, c.root+path+"?done="+what)
}
