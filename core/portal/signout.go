package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// SignOut ends this browser's session.
func (p *Portal) SignOut(c *gin.Context) {
	if err := p.Auth.SignOut(c.Request.Context(), current(c).Session); err != nil {
		p.failErr(c, err)
		return
	}
	p.Cookies.Set(c, cookieSession, "", -1)
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin?notice=portal.signedout")
}

// SignOutEverywhere ends every session of the customer, on every device.
func (p *Portal) SignOutEverywhere(c *gin.Context) {
	if err := p.Auth.SignOutEverywhere(c.Request.Context(), current(c).Customer.ID); err != nil {
		p.failErr(c, err)
		return
	}
	p.Cookies.Set(c, cookieSession, "", -1)
	c.Redirect(http.StatusSeeOther, p.BasePath+"/signin?notice=portal.signedout")
}
