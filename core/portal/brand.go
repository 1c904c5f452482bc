package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/i18n"
	"github.com/guichet/guichet/core/web"
)

// pageBrand is what the layout shows of the brand. Name and texts are
// plain strings, escaped by the templates like anything a person typed.
type pageBrand struct {
	Name string
	// LogoVersion is a hash of the logo, versioning its URL
	// (/brand/logo?v=…) so browsers cache it for good; "" when there is none.
	// The logo is not inlined: up to 64 KB in every page would break the
	// portal's 20 KB page budget.
	LogoVersion string
	Header      string
	Footer      string
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
		pb.LogoVersion = logoVersion(b.Logo)
	}
	pb.Header, pb.Footer = b.HeaderText, b.FooterText
	return pb
}

func logoVersion(logo string) string {
	sum := sha256.Sum256([]byte(logo))
	return hex.EncodeToString(sum[:8])
}

// BrandLogo serves the brand's logo image. Its bytes are re-checked on the
// way out (brand.DecodeLogo), so only a raster image ever leaves. A request
// naming the current version may be cached for a year; any other, not at all.
func (p *Portal) BrandLogo(c *gin.Context) {
	b, saved, err := p.Brands.Load(c.Request.Context())
	if err != nil {
		p.Log.Error("portal: brand logo", "request_id", web.RequestID(c), "err", err)
		c.Status(http.StatusServiceUnavailable)
		return
	}
	ctype, body, ok := brand.DecodeLogo(b.Logo)
	if !saved || !ok {
		c.Status(http.StatusNotFound)
		return
	}
	if c.Query("v") == logoVersion(b.Logo) {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Data(http.StatusOK, ctype, body)
}
