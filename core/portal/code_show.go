package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// codeView is the code form.
type codeView struct {
	Page
	Email string
	Next  string
}

// CodeShow asks for the code of the browser's sign-in flow.
func (p *Portal) CodeShow(c *gin.Context) {
	email, err := p.Auth.FlowEmail(c.Request.Context(), p.Cookies.Get(c, cookieFlow))
	if err != nil {
		c.Redirect(http.StatusSeeOther, p.BasePath+"/signin")
		return
	}
	l := current(c).L
	p.html(c, http.StatusOK, "code", codeView{Page: p.page(c, l.T("portal.code.title")), Email: email, Next: p.safeNext(c.Query("next"))})
}
