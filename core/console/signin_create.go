package console

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ratelimit"
)

// Sign-in limits: per address so guesses spread over many IPs still stop,
// and per IP so one client cannot try many addresses.
var (
	signinPerAddress = ratelimit.Rule{Max: 10, Window: 15 * time.Minute}
	signinPerIP      = ratelimit.Rule{Max: 50, Window: 15 * time.Minute}
)

// SigninCreate checks email and password. Every failure shows the same
// message; too many attempts answer 429 before any password is checked.
func (c *Console) SigninCreate(g *gin.Context) {
	ctx := g.Request.Context()
	email := strings.ToLower(strings.TrimSpace(g.PostForm("email")))
	v := signinView{Page: c.page(g, "", ""), Email: email, Next: c.safeNext(g.PostForm("next"))}
	v.Title = v.L.T("console.signin.title")
	err := c.Limiter.Allow(ctx, "console-signin-ip:"+g.ClientIP(), signinPerIP)
	if err == nil {
		err = c.Limiter.Allow(ctx, "console-signin-email:"+email, signinPerAddress)
	}
	if err == nil {
		a, aerr := c.Agents.Authenticate(ctx, email, g.PostForm("password"))
		if err = aerr; err == nil {
			if err = c.startSession(g, a); err == nil {
				c.Limiter.Reset(ctx, "console-signin-email:"+email, signinPerAddress)
				g.Redirect(http.StatusSeeOther, v.Next)
				return
			}
		}
	}
	switch errs.KindOf(err) {
	case errs.Unauthorized:
		v.Err = errs.E(errs.Unauthorized, "%s", v.L.T("console.signin.failed"))
		c.render(g, http.StatusUnauthorized, "signin", &v)
	case errs.RateLimited:
		v.Err = errs.E(errs.RateLimited, "%s", v.L.T("common.error.rate_limited"))
		c.render(g, http.StatusTooManyRequests, "signin", &v)
	default:
		c.fail(g, err)
	}
}
