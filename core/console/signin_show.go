package console

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type signinView struct {
	Page
	Email string
	Next  string
	// NoAgent is true on a fresh install, to point at the setup URL.
	NoAgent bool
}

// SigninShow shows the sign-in form.
func (c *Console) SigninShow(g *gin.Context) {
	v := signinView{Page: c.page(g, "", ""), Next: c.safeNext(g.Query("next"))}
	v.Title = v.L.T("console.signin.title")
	n, err := c.Agents.Count(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	v.NoAgent = n == 0
	c.render(g, http.StatusOK, "signin", &v)
}
