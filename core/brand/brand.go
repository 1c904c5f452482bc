// Package brand is the look of the customer-facing pages: name, logo,
// colours and the texts above and below every page. Admins set it in the
// console; the portal shows it. It is stored through settings under Key.
// It must not import net/http or gin.
package brand

import (
	"bytes"
	"context"
	"encoding/base64"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

// Key is the settings key of the brand.
const Key = "brand"

// Brand is what an admin chose. The console shows none of it, so an
// admin's branding can never break the agents' pages.
type Brand struct {
	Name       string `json:"name"`
	Logo       string `json:"logo,omitempty"` // a data: URL (CSP allows data: images, nothing external)
	Primary    string `json:"primary"`
	Accent     string `json:"accent"`
	HeaderText string `json:"header_text"`
	FooterText string `json:"footer_text"`
}

// MaxLogoBytes caps the logo; it travels inside every portal page.
const MaxLogoBytes = 64 << 10

// Default is what the console's form starts from before anything is saved.
func Default() Brand {
	return Brand{Name: "Guichet", Primary: "#1f5fbf", Accent: "#0b7a53"}
}

// The form's colour inputs always send #rrggbb, so that is all Validate
// accepts; ParseColour also reads the #rgb shorthand.
var (
	formColour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	anyColour  = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	safeLogo   = regexp.MustCompile(`^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$`)
)

// Validate names each bad field.
func (b *Brand) Validate() error {
	f := map[string]string{}
	b.Name = strings.TrimSpace(b.Name)
	if b.Name == "" || utf8.RuneCountInString(b.Name) > 100 {
		f["name"] = "required, at most 100 characters"
	}
	for field, v := range map[string]string{"primary": b.Primary, "accent": b.Accent} {
		if !formColour.MatchString(v) {
			f[field] = "must be a colour such as #1f5fbf"
		}
	}
	for field, v := range map[string]string{"header_text": b.HeaderText, "footer_text": b.FooterText} {
		if utf8.RuneCountInString(v) > 500 {
			f[field] = "at most 500 characters"
		}
	}
	if b.Logo != "" && !SafeLogo(b.Logo) {
		f["logo"] = "must be a PNG, JPEG, GIF or WebP image"
	}
	if len(f) > 0 {
		return errs.Fields("invalid brand", f)
	}
	return nil
}

// SafeLogo reports whether s is a data: URL of a raster image of at most
// MaxLogoBytes, as LogoDataURL makes them. Pages mark only such URLs safe,
// whatever is stored.
func SafeLogo(s string) bool {
	return len(s) <= len("data:image/jpeg;base64,")+base64.StdEncoding.EncodedLen(MaxLogoBytes) && safeLogo.MatchString(s)
}

// rasters are the signatures LogoDataURL accepts, the same ones
// http.DetectContentType knows for these types; a 0 in a mask skips a byte
// (WebP's RIFF size).
var rasters = []struct{ ctype, sig, mask string }{
	{"image/png", "\x89PNG\r\n\x1a\n", ""},
	{"image/jpeg", "\xff\xd8\xff", ""},
	{"image/gif", "GIF87a", ""},
	{"image/gif", "GIF89a", ""},
	{"image/webp", "RIFF\x00\x00\x00\x00WEBPVP", "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff"},
}

func sniff(body []byte) string {
	for _, r := range rasters {
		if len(body) < len(r.sig) {
			continue
		}
		head := body[:len(r.sig)]
		if r.mask != "" {
			head = bytes.Clone(head)
			for i := range head {
				head[i] &= r.mask[i]
			}
		}
		if string(head) == r.sig {
			return r.ctype
		}
	}
	return ""
}

// LogoDataURL checks an uploaded logo: a raster image by its bytes, not its
// name, small enough to inline. SVG is refused: it can carry scripts.
func LogoDataURL(body []byte) (string, error) {
	if len(body) > MaxLogoBytes {
		return "", errs.Fields("logo too large", map[string]string{"logo": "at most 64 KB"})
	}
	if ct := sniff(body); ct != "" {
		return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(body), nil
	}
	return "", errs.Fields("logo type not allowed", map[string]string{"logo": "must be a PNG, JPEG, GIF or WebP image"})
}

// DecodeLogo returns the image inside a stored logo URL, with its content
// type, when the URL is one LogoDataURL makes and the bytes still carry the
// signature of that type.
func DecodeLogo(s string) (ctype string, body []byte, ok bool) {
	if !SafeLogo(s) {
		return "", nil, false
	}
	head, b64, found := strings.Cut(strings.TrimPrefix(s, "data:"), ";base64,")
	if !found {
		return "", nil, false
	}
	body, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || sniff(body) != head {
		return "", nil, false
	}
	return head, body, true
}

// RGB is a colour's red, green and blue.
type RGB [3]uint8

// ParseColour reads #rgb or #rrggbb and nothing else, so a stored value
// that went around Validate can never smuggle anything into a stylesheet.
func ParseColour(s string) (RGB, bool) {
	if !anyColour.MatchString(s) {
		return RGB{}, false
	}
	hex := s[1:]
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var c RGB
	for i := range c {
		c[i] = unhex(hex[2*i])<<4 | unhex(hex[2*i+1])
	}
	return c, true
}

func unhex(h byte) uint8 {
	switch {
	case h >= 'a':
		return h - 'a' + 10
	case h >= 'A':
		return h - 'A' + 10
	}
	return h - '0'
}

// Service loads and saves the brand.
type Service struct{ settings *settings.Service }

// NewService returns a brand service over the settings store.
func NewService(s *settings.Service) *Service { return &Service{settings: s} }

// Load returns the saved brand over Default, and whether one was saved:
// the portal keeps its own name and colours until an admin chose some.
func (s *Service) Load(ctx context.Context) (Brand, bool, error) {
	b := Default()
	saved, err := s.settings.Get(ctx, Key, &b)
	return b, saved, err
}

// Save validates and stores b.
func (s *Service) Save(ctx context.Context, b Brand) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.settings.Put(ctx, Key, b)
}
