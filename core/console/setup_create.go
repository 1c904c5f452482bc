package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/errs"
)

// SetupCreate consumes the one-time token, creates the first admin, signs
// them in and lands in the console. The token dies with its first use.
func (c *Console) SetupCreate(g *gin.Context) {
	ctx := g.Request.Context()
	in := agent.Input{Name: g.PostForm("name"), Email: g.PostForm("email"), Password: g.PostForm("password"),
		Language: g.PostForm("language")}
	if in.Language != "fr" && in.Language != "en" {
		in.Language = ""
	}
	a, err := c.Agents.CreateFirstAdmin(ctx, g.Param("token"), in)
	if errs.Is(err, errs.Invalid) {
		v := setupView{Page: c.page(g, "", ""), Token: g.Param("token"), Form: in}
		v.Title, v.Err, v.Form.Password = v.L.T("console.setup.title"), errs.As(err), ""
		c.render(g, http.StatusBadRequest, "setup", &v)
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	if err := c.startSession(g, a); err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "", "created")
}

// startSession signs a in with a fresh session id (never reusing one the
// browser brought) in a __Host- cookie over HTTPS.
func (c *Console) startSession(g *gin.Context, a *agent.Agent) error {
	id, err := c.Agents.StartSession(g.Request.Context(), a.ID, g.ClientIP(), g.Request.UserAgent())
	if err != nil {
		return err
	}
	c.Cookies.Set(g, sessionCookie, id, int(agent.SessionAbsolute.Seconds()))
	return nil
}
