package portal

import (
	"html/template"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/web"
)

// pageBrand is what the layout shows of the brand. Name and texts are
// plain strings, escaped by the templates like anything a person typed.
type pageBrand struct {
	Name   string
	Logo   template.URL // only a checked raster data: URL, else empty
	Header string
	Footer string
}

// pageBrand reads the saved brand. Until an admin saved one, or when it
// cannot be read, the page keeps the translated "Support" and no logo: a
// broken brand must not take the portal down.
func (p *Portal) pageBrand(c *gin.Context, l *i18n.Localizer) pageBrand {
	pb := pageBrand{Name: l.T("portal.brand")}
	b, saved, err := p.Brands.Load(c.Request.Context())
	if err != nil {
		p.Log.Error("portal: brand", "request_id", web.RequestID(c), "err", err)
		return pb
	}
	if !saved {
		return pb
	}
	if name := strings.TrimSpace(b.Name); name != "" {
		pb.Name = name
	}
	if brand.SafeLogo(b.Logo) {
		// Stored values are re-checked: only what brand.LogoDataURL makes is marked safe.
		pb.Logo = template.URL(b.Logo)
	}
	pb.Header, pb.Footer = b.HeaderText, b.FooterText
	return pb
}
