package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/web"
)

// Page is what every portal page's view carries for the layout.
type Page struct {
	L        *i18n.Localizer
	Title    string
	Base     string
	CSRF     string
	Nonce    string
	Customer *customer.Customer
	Notice   string
	Error    string
	Langs    []Lang
	Brand    pageBrand
}

// Lang is one entry of the language switch.
type Lang struct {
	Code, Name string
	Current    bool
}

var langNames = map[string]string{"fr": "Français", "en": "English"}

func (p *Portal) page(c *gin.Context, title string) Page {
	r := current(c)
	pg := Page{L: r.L, Title: title, Base: p.BasePath, CSRF: web.CSRFToken(c), Nonce: web.Nonce(c), Customer: r.Customer}
	for _, code := range i18n.Supported {
		pg.Langs = append(pg.Langs, Lang{Code: code, Name: langNames[code], Current: code == r.L.Lang})
	}
	pg.Brand = p.pageBrand(c, r.L)
	pg.Notice = r.L.T(c.Query("notice"))
	if c.Query("notice") == "" || pg.Notice == c.Query("notice") {
		pg.Notice = "" // only known messages, never text from the URL
	}
	return pg
}

func (p *Portal) html(c *gin.Context, status int, name string, view any) {
	if err := p.Render.HTML(c, status, "portal/"+name, view); err != nil {
		p.Log.Error("portal: render", "page", name, "request_id", web.RequestID(c), "err", err)
		c.AbortWithStatus(http.StatusInternalServerError)
	}
}

// errorView is the error page.
type errorView struct {
	Page
	Status  int
	Message string
}

// fail renders the error page with a message already in the reader's language.
func (p *Portal) fail(c *gin.Context, status int, message string) {
	view := errorView{Page: p.page(c, current(c).L.T("portal.error.title")), Status: status, Message: message}
	if status == http.StatusNotFound {
		view.Title = current(c).L.T("portal.notfound.title")
	}
	p.html(c, status, "error", view)
	c.Abort()
}

// failErr maps a domain error to a localized error page.
func (p *Portal) failErr(c *gin.Context, err error) {
	e := p.Errors.Kinded(c, err)
	l := current(c).L
	var msg string
	switch e.Kind {
	case errs.NotFound:
		msg = l.T("common.error.not_found")
	case errs.RateLimited:
		msg = l.T("common.error.rate_limited")
	case errs.Forbidden:
		msg = l.T("common.error.forbidden")
	case errs.TooLarge:
		msg = l.T("common.error.too_large")
	case errs.Unavailable:
		msg = l.T("common.error.unavailable", "RequestID", web.RequestID(c))
	case errs.Invalid, errs.Conflict:
		msg = e.Message
	default:
		msg = l.T("common.error.internal", "RequestID", web.RequestID(c))
	}
	p.fail(c, web.Status(e), msg)
}

// NotFound is the portal's 404 page, also for unknown URLs.
func (p *Portal) NotFound(c *gin.Context) {
	p.fail(c, http.StatusNotFound, current(c).L.T("common.error.not_found"))
}

// Home sends signed-in customers to their tickets, others to sign in.
func (p *Portal) Home(c *gin.Context) {
	if current(c).Customer != nil {
		c.Redirect(http.StatusSeeOther, p.BasePath+"/tickets")
		return
	}
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin")
}
