package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/apikey"
	"github.com/guichet/guichet/core/errs"
)

type apikeyListView struct {
	Page
	Keys   []apikey.Key
	Scopes []apikey.Scope
	// Secret is the new key, shown this once and never again.
	Secret string
	Name   string
}

// APIKeyList lists API keys with their last use (admins).
func (c *Console) APIKeyList(g *gin.Context) { c.showKeys(g, http.StatusOK, "", "", nil) }

func (c *Console) showKeys(g *gin.Context, status int, name, secret string, formErr *errs.Error) {
	keys, err := c.Keys.List(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	view := apikeyListView{Page: c.page(g, "", "settings"), Keys: keys, Scopes: apikey.AllScopes, Secret: secret, Name: name}
	view.Title, view.Err = view.L.T("console.apikeys.title"), formErr
	c.render(g, status, "apikey_list", &view)
}
