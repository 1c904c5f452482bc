package console

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/guichet/guichet/core/errs"
)

// BrandKey is the settings key of the brand basics; the portal reads the
// same JSON shape.
const BrandKey = "brand"

// Brand is the look of the customer-facing pages: name, logo, colours and
// the texts above and below every page. The console shows none of it, so an
// admin's branding can never break the agents' pages.
type Brand struct {
	Name       string `json:"name"`
	Logo       string `json:"logo,omitempty"` // a data: URL (CSP allows data: images, nothing external)
	Primary    string `json:"primary"`
	Accent     string `json:"accent"`
	HeaderText string `json:"header_text"`
	FooterText string `json:"footer_text"`
}

// MaxLogoBytes caps the logo; it travels inside every portal page's data.
const MaxLogoBytes = 64 << 10

var colour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate names each bad field.
func (b *Brand) Validate() error {
	f := map[string]string{}
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" || utf8.RuneCountInString(b.Name) > 100 {
		f["name"] = "required, at most 100 characters"
	}
	for field, v := range map[string]string{"primary": b.Primary, "accent": b.Accent} {
		if !colour.MatchString(v) {
			f[field] = "must be a colour such as #1f5fbf"
		}
	}
	for field, v := range map[string]string{"header_text": b.HeaderText, "footer_text": b.FooterText} {
		if utf8.RuneCountInString(v) > 500 {
			f[field] = "at most 500 characters"
		}
	}
	if len(f) > 0 {
		return errs.Fields("invalid brand", f)
	}
	return nil
}

// logoDataURL checks an uploaded logo: a raster image by its bytes, not its
// name, small enough to inline. SVG is refused: it can carry scripts.
func logoDataURL(body []byte) (string, error) {
	if len(body) > MaxLogoBytes {
		return "", errs.Fields("logo too large", map[string]string{"logo": "at most 64 KB"})
	}
	ct := http.DetectContentType(body)
	switch ct {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(body), nil
	}
	return "", errs.Fields("logo type not allowed", map[string]string{"logo": "must be a PNG, JPEG, GIF or WebP image"})
}

func defaultBrand() Brand {
	return Brand{Name: "Guichet", Primary: "#1f5fbf", Accent: "#0b7a53"}
}
