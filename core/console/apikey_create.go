package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/errs"
)

// APIKeyCreate makes a key and shows its secret once, in this response only
// (no redirect: the secret never sits in a URL or history entry).
func (c *Console) APIKeyCreate(g *gin.Context) {
	var scopes []apikey.Scope
	for _, s := range g.PostFormArray("scope") {
		scopes = append(scopes, apikey.Scope(s))
	}
	_, secret, err := c.Keys.Create(g.Request.Context(), g.PostForm("name"), scopes)
	if errs.Is(err, errs.Invalid) {
		c.showKeys(g, statusOf(err), g.PostForm("name"), "", errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.showKeys(g, http.StatusCreated, "", secret, nil)
}
