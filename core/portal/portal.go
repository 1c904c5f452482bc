// Package portal is the customer HTTP edge: sign-in with a mailed code, my
// tickets, new ticket, the conversation with replies, close and reopen, and
// the signed links of notification mails. One file per page or action;
// handlers parse, call a domain service and render or redirect. It calls
// domain services only, never bun, and is wired in core/server.
package portal

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/queue"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/settings"
	"github.com/guichet/guichet/core/ticket"
	"github.com/guichet/guichet/core/web"
)

// Portal holds the services the customer pages call.
type Portal struct {
	Tickets   *ticket.Service
	Links     *ticket.Links
	Queues    *queue.Service
	Customers *customer.Service
	Auth      *custauth.Service
	Settings  *settings.Service
	Brands    *brand.Service
	Files     *attachment.Store
	Limits    *ratelimit.Limiter
	Render    *web.Renderer
	I18n      *i18n.Bundle
	Errors    *web.Errors
	Cookies   web.Cookies
	CSRF      web.CSRF
	Headers   web.Headers
	BasePath  string
	Log       *slog.Logger
}

const (
	keyReq        = "portal.req"
	cookieSession = "sid"
	cookieFlow    = "signin"
	cookieLang    = "lang"
)

// req is what the portal knows about the current request.
type req struct {
	L        *i18n.Localizer
	Policy   settings.Helpdesk
	Customer *customer.Customer
	Session  string
}

func current(c *gin.Context) *req {
	r, _ := c.Get(keyReq)
	return r.(*req)
}

// Middleware is the chain in front of every portal page: settings, security
// headers, language, body limits, CSRF, then the session if there is one.
func (p *Portal) Middleware() []gin.HandlerFunc {
	return []gin.HandlerFunc{p.loadSettings, web.SecurityHeaders(p.Headers), p.language, p.limitBody, p.CSRF.Middleware(), p.session}
}

// FrameAncestors lets the admin's embedding origins frame the portal.
func FrameAncestors(c *gin.Context) []string {
	if r, ok := c.Get(keyReq); ok {
		return r.(*req).Policy.EmbedOrigins
	}
	return nil
}

// Embedded reports whether portal cookies must work inside another site's iframe.
func Embedded(c *gin.Context) bool { return len(FrameAncestors(c)) > 0 }

func (p *Portal) loadSettings(c *gin.Context) {
	h, err := p.Settings.Helpdesk(c.Request.Context())
	if err != nil {
		p.Log.Error("portal: settings", "err", err)
		h = settings.DefaultHelpdesk()
	}
	c.Set(keyReq, &req{Policy: h})
	c.Next()
}

// language picks the person's choice (?lang= on any page, then remembered
// in a cookie), else Accept-Language, else the helpdesk default.
func (p *Portal) language(c *gin.Context) {
	r := current(c)
	choice := c.Query("lang")
	if slices.Contains(i18n.Supported, choice) {
		p.Cookies.Set(c, cookieLang, choice, 365*24*3600)
	} else {
		choice = p.Cookies.Get(c, cookieLang)
	}
	r.L = p.I18n.For(i18n.Negotiate(choice, c.GetHeader("Accept-Language"), r.Policy.DefaultLanguage))
	c.Next()
}

// MaxFiles caps the files of one form.
const MaxFiles = 10

// limitBody caps request bodies before anything parses them: a form with
// files may carry MaxFiles files of the policy's size, any other form 1 MB.
// The multipart form is parsed here so an oversized upload is a 413 naming
// the limit, not a CSRF failure on a truncated body.
func (p *Portal) limitBody(c *gin.Context) {
	if c.Request.Method != http.MethodPost {
		c.Next()
		return
	}
	r := current(c)
	limit := int64(1 << 20)
	multipart := strings.HasPrefix(c.ContentType(), "multipart/form-data")
	if multipart {
		limit += r.Policy.MaxAttachmentBytes() * MaxFiles
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	if multipart {
		if err := c.Request.ParseMultipartForm(8 << 20); err != nil {
			p.fail(c, http.StatusRequestEntityTooLarge, r.L.T("portal.files.too_large", "MB", r.Policy.MaxAttachmentMB))
			return
		}
	}
	c.Next()
}

func (p *Portal) session(c *gin.Context) {
	r := current(c)
	if sid := p.Cookies.Get(c, cookieSession); sid != "" {
		ctx := c.Request.Context()
		if s, err := p.Auth.Session(ctx, sid); err == nil {
			if cu, err := p.Customers.ByID(ctx, s.CustomerID); err == nil {
				r.Customer, r.Session = cu, sid
				p.rememberLanguage(c, cu, r.L.Lang)
			}
		}
	}
	c.Next()
}

// rememberLanguage keeps the customer's language for the mails we send.
func (p *Portal) rememberLanguage(c *gin.Context, cu *customer.Customer, lang string) {
	if cu.Language == lang {
		return
	}
	if err := p.Customers.SetLanguage(c.Request.Context(), cu.ID, lang); err == nil {
		cu.Language = lang
	}
}

// signedIn stops requests without a session: pages redirect to sign-in and
// come back afterwards.
func (p *Portal) signedIn(c *gin.Context) {
	if current(c).Customer != nil {
		c.Next()
		return
	}
	next := ""
	if c.Request.Method == http.MethodGet {
		next = "?next=" + c.Request.URL.EscapedPath()
	}
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin"+next)
	c.Abort()
}

// SignedIn is the route guard for customer-only pages.
func (p *Portal) SignedIn() gin.HandlerFunc { return p.signedIn }

// scope is the signed-in customer's ticket scope.
func scope(c *gin.Context) ticket.Scope { return ticket.OwnTickets(current(c).Customer.ID) }

// safeNext accepts only a path inside the portal, never another site.
func (p *Portal) safeNext(next string) string {
	if !strings.HasPrefix(next, p.BasePath+"/tickets") || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return p.BasePath + "/tickets"
	}
	return next
}
