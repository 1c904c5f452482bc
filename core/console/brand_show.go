package console

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/errs"
)

type brandView struct {
	Page
	B    brand.Brand
	Logo template.URL // checked data: URL of a raster image
}

// BrandShow shows the brand basics (admins).
func (c *Console) BrandShow(g *gin.Context) {
	b, _, err := c.Brands.Load(g.Request.Context())
	if err != nil {
		c.fail(g, err)
		return
	}
	c.showBrand(g, http.StatusOK, b, nil)
}

func (c *Console) showBrand(g *gin.Context, status int, b brand.Brand, formErr *errs.Error) {
	view := brandView{Page: c.page(g, "", "settings"), B: b}
	if brand.SafeLogo(b.Logo) {
		// Only raster data: URLs, as brand.LogoDataURL stores them, are marked safe.
		view.Logo = template.URL(b.Logo)
	}
	view.Title, view.Err = view.L.T("console.brand.title"), formErr
	c.render(g, status, "brand", &view)
}
