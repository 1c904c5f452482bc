package console

import (
	"io"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/errs"
)

// BrandUpdate validates and saves the brand basics (admins). A new logo
// replaces the old one; "remove_logo" drops it.
func (c *Console) BrandUpdate(g *gin.Context) {
	ctx := g.Request.Context()
	b, _, err := c.Brands.Load(ctx)
	if err != nil {
		c.fail(g, err)
		return
	}
	b.Name, b.Primary, b.Accent = g.PostForm("name"), g.PostForm("primary"), g.PostForm("accent")
	b.HeaderText, b.FooterText = g.PostForm("header_text"), g.PostForm("footer_text")
	if g.PostForm("remove_logo") == "1" {
		b.Logo = ""
	}
	err = b.Validate()
	if fh, ferr := g.FormFile("logo"); err == nil && ferr == nil && fh.Size > 0 {
		f, oerr := fh.Open()
		if err = oerr; err == nil {
			body, _ := io.ReadAll(io.LimitReader(f, brand.MaxLogoBytes+1))
			f.Close()
			b.Logo, err = brand.LogoDataURL(body)
		}
	}
	if err == nil {
		err = c.Brands.Save(ctx, b)
	}
	if errs.Is(err, errs.Invalid) {
		c.showBrand(g, statusOf(err), b, errs.As(err))
		return
	}
	if err != nil {
		c.fail(g, err)
		return
	}
	c.done(g, "/settings/brand", "saved")
}
