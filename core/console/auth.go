package console

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/ticket"
)

const (
	sessionCookie = "console_session"
	keyViewer     = "guichet.console.viewer"
)

// viewer is the signed-in agent of a request, with their scope.
type viewer struct {
	Agent   *agent.Agent
	Scope   ticket.Scope
	Access  map[int64]agent.Access
	Session string
}

func me(g *gin.Context) *viewer {
	v, _ := g.Get(keyViewer)
	vw, _ := v.(*viewer)
	return vw
}

// Authenticate requires a live agent session. Pages redirect to sign-in
// with the page to come back to; other requests get a 401.
func (c *Console) Authenticate(g *gin.Context) {
	ctx := g.Request.Context()
	id := c.Cookies.Get(g, sessionCookie)
	a, err := c.Agents.SessionAgent(ctx, id)
	if err == nil {
		var v viewer
		v.Scope, v.Access, err = c.scopeOf(ctx, a)
		v.Agent, v.Session = a, id
		g.Set(keyViewer, &v)
	}
	if errs.Is(err, errs.Unauthorized) {
		if id != "" {
			c.Cookies.Set(g, sessionCookie, "", -1)
		}
		if g.Request.Method == http.MethodGet && !strings.HasSuffix(g.Request.URL.Path, "/live") {
			g.Redirect(http.StatusSeeOther, c.root+"/signin?next="+url.QueryEscape(g.Request.URL.RequestURI()))
			g.Abort()
			return
		}
		g.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	if err != nil {
		c.fail(g, err)
		g.Abort()
		return
	}
	g.Next()
}

// RequireAdmin lets only admins through; others get the not-found page, as
// for anything they may not see.
func (c *Console) RequireAdmin(g *gin.Context) {
	if !me(g).Agent.IsAdmin() {
		c.fail(g, errs.E(errs.NotFound, "no such page"))
		g.Abort()
		return
	}
	g.Next()
}

// localizer speaks the agent's chosen language, else the browser's, else
// the helpdesk default.
func (c *Console) localizer(g *gin.Context) *i18n.Localizer {
	choice := ""
	if v := me(g); v != nil {
		choice = v.Agent.Language
	}
	def := "fr"
	if h, err := c.Settings.Helpdesk(g.Request.Context()); err == nil {
		def = h.DefaultLanguage
	}
	return c.i18n.For(i18n.Negotiate(choice, g.GetHeader("Accept-Language"), def))
}

// safeNext keeps a post-sign-in redirect inside the console: a relative path
// under /console, never another host ("//evil", "/\evil") or scheme.
func (c *Console) safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) ||
		!(u.Path == c.root || strings.HasPrefix(u.Path, c.root+"/")) {
		return c.root
	}
	return next
}
