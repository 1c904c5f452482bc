package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/errs"
)

// CodeVerify opens a session for the right code. The session id is new at
// every sign-in (no fixation); the flow cookie is dropped.
func (p *Portal) CodeVerify(c *gin.Context) {
	r := current(c)
	ctx := c.Request.Context()
	flow, next := p.Cookies.Get(c, cookieFlow), p.safeNext(c.PostForm("next"))
	sid, _, err := p.Auth.Verify(ctx, flow, c.PostForm("code"))
	if err != nil {
		view := codeView{Page: p.page(c, r.L.T("portal.code.title")), Next: next}
		view.Email, _ = p.Auth.FlowEmail(ctx, flow)
		switch {
		case errs.Is(err, errs.Invalid):
			view.Error = r.L.T("portal.code.wrong")
			p.html(c, http.StatusBadRequest, "code", view)
		case errs.Is(err, errs.RateLimited):
			view.Error = r.L.T("common.error.rate_limited")
			p.html(c, http.StatusTooManyRequests, "code", view)
		default:
			p.failErr(c, err)
		}
		return
	}
	if r.Session != "" {
		p.Auth.SignOut(ctx, r.Session) // the old session dies with the new sign-in
	}
	p.Cookies.Set(c, cookieFlow, "", -1)
	p.Cookies.Set(c, cookieSession, sid, int(custauth.SessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, next)
}
