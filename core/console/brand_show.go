package console

import (
	"html/template"
	"net/http"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

var safeLogo = regexp.MustCompile(`^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$`)

type brandView struct {
	Page
	B    Brand
	Logo template.URL // checked data: URL of a raster image
}

// BrandShow shows the brand basics (admins).
func (c *Console) BrandShow(g *gin.Context) {
	b := defaultBrand()
	if _, err := c.Settings.Get(g.Request.Context(), BrandKey, &b); err != nil {
		c.fail(g, err)
		return
	}
	c.showBrand(g, http.StatusOK, b, nil)
}

func (c *Console) showBrand(g *gin.Context, status int, b Brand, formErr *errs.Error) {
	view := brandView{Page: c.page(g, "", "settings"), B: b}
	if safeLogo.MatchString(b.Logo) {
		// Only raster data: URLs, as logoDataURL stores them, are marked safe.
		view.Logo = template.URL(b.Logo)
	}
	view.Title, view.Err = view.L.T("console.brand.title"), formErr
	c.render(g, status, "brand", &view)
}
