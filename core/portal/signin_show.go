package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// signinView is the email form.
type signinView struct {
	Page
	Email string
	Next  string
}

// SignInShow asks for the email address a code goes to.
func (p *Portal) SignInShow(c *gin.Context) {
	if current(c).Customer != nil {
		c.Redirect(http.StatusSeeOther, p.safeNext(c.Query("next")))
		return
	}
	l := current(c).L
	p.html(c, http.StatusOK, "signin", signinView{Page: p.page(c, l.T("portal.signin.title")), Next: p.safeNext(c.Query("next"))})
}
