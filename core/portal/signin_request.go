package portal

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/errs"
)

// SignInRequest mails a code. Known and unknown addresses get the same
// redirect: the mail goes out through the outbox either way.
func (p *Portal) SignInRequest(c *gin.Context) {
	r := current(c)
	email, next := c.PostForm("email"), p.safeNext(c.PostForm("next"))
	flow, err := p.Auth.RequestCode(c.Request.Context(), email, c.ClientIP(), r.L.Lang)
	if err != nil {
		view := signinView{Page: p.page(c, r.L.T("portal.signin.title")), Email: email, Next: next}
		switch {
		case errs.Is(err, errs.Invalid):
			view.Error = r.L.T("portal.signin.invalid_email")
			p.html(c, http.StatusBadRequest, "signin", view)
		case errs.Is(err, errs.RateLimited):
			view.Error = r.L.T("common.error.rate_limited")
			p.html(c, http.StatusTooManyRequests, "signin", view)
		default:
			p.failErr(c, err)
		}
		return
	}
	p.Cookies.Set(c, cookieFlow, flow, int(custauth.CodeTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin/code?next="+url.QueryEscape(next))
}
