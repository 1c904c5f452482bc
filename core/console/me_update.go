package console

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

// MeUpdate saves the agent's language and queue subscriptions.
func (c *Console) MeUpdate(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	err := c.Agents.SetLanguage(ctx, v.Agent.ID, g.PostForm("language"))
	if err == nil {
		var perms []int64
		for id := range v.Access {
			perms = append(perms, id)
		}
		subscribed := map[string]bool{}
		for _, s := range g.PostFormArray("subscribe") {
			subscribed[s] = true
		}
		for _, id := range perms {
			if err = c.Agents.Subscribe(ctx, v.Agent.ID, id, subscribed[itoa(id)]); err != nil {
				break
			}
		}
	}
	if errs.Is(err, errs.Invalid) {
		c.showMe(g, statusOf(err), errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/me", "saved")
}
