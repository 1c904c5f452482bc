package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/brand"
	"github.com/guichet/guichet/core/web"
)

// BrandCSS serves the brand's colours as CSS custom properties that
// portal.css uses. The CSP allows no inline style, so they come from our
// origin. The ETag is the body's hash and no-cache makes browsers ask each
// time: an admin's change shows on the next page, unchanged colours cost a 304.
func (p *Portal) BrandCSS(c *gin.Context) {
	b, saved, err := p.Brands.Load(c.Request.Context())
	if err != nil {
		// The theme's own colours still make a usable portal.
		p.Log.Error("portal: brand.css", "request_id", web.RequestID(c), "err", err)
		saved = false
	}
	body := brandCSS(b, saved)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-cache")
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "text/css; charset=utf-8", []byte(body))
}

// etagMatches applies If-None-Match's weak comparison to our strong tag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// The backgrounds portal.css puts links and buttons on, per colour scheme
// (--bg, --card, --mine); the brand's primary is shifted until it reads on
// all of them.
var (
	lightBackgrounds = []brand.RGB{{0xf6, 0xf7, 0xf9}, {0xff, 0xff, 0xff}, {0xea, 0xf1, 0xff}}
	darkBackgrounds  = []brand.RGB{{0x12, 0x15, 0x1b}, {0x1b, 0x20, 0x29}, {0x1d, 0x2a, 0x44}}
	white            = brand.RGB{0xff, 0xff, 0xff}
	black            = brand.RGB{0, 0, 0}
	darkText         = brand.RGB{0x0b, 0x10, 0x20} // portal.css's dark --primary-fg
)

// brandCSS writes the custom properties of b. Nothing before an admin saved
// a brand, so the theme's tuned light and dark palettes stay; a stored value
// that is not #rgb or #rrggbb is left out rather than written into CSS.
func brandCSS(b brand.Brand, saved bool) string {
	if !saved {
		return "/* No brand saved: portal.css's colours apply. */\n"
	}
	var light, dark strings.Builder
	if c, ok := brand.ParseColour(b.Primary); ok {
		// WCAG AA for text (4.5:1): links are text on these backgrounds and
		// button labels sit on the primary itself.
		l, d := readable(c, black, lightBackgrounds), readable(c, white, darkBackgrounds)
		fmt.Fprintf(&light, "--primary:%s;--primary-fg:%s;", hexOf(l), hexOf(onColour(l)))
		fmt.Fprintf(&dark, "--primary:%s;--primary-fg:%s;", hexOf(d), hexOf(onColour(d)))
	}
	if c, ok := brand.ParseColour(b.Accent); ok {
		// The accent only marks the header; it carries no text.
		fmt.Fprintf(&light, "--accent:%s;", hexOf(c))
	}
	if light.Len() == 0 {
		return "/* The saved colours are not valid: portal.css's colours apply. */\n"
	}
	out := ":root{" + light.String() + "}\n"
	if dark.Len() > 0 {
		out += "@media (prefers-color-scheme:dark){:root{" + dark.String() + "}}\n"
	}
	return out
}

// readable mixes c toward toward (black or white) in small steps until it
// has 4.5:1 contrast with every background; at worst it becomes toward.
func readable(c, toward brand.RGB, backgrounds []brand.RGB) brand.RGB {
	for step := 0; step <= 20; step++ {
		m := mix(c, toward, float64(step)/20)
		ok := true
		for _, bg := range backgrounds {
			ok = ok && contrast(m, bg) >= 4.5
		}
		if ok {
			return m
		}
	}
	return toward
}

// onColour picks white or portal.css's dark text, whichever reads better on c.
func onColour(c brand.RGB) brand.RGB {
	if contrast(white, c) >= contrast(darkText, c) {
		return white
	}
	return darkText
}

func mix(a, b brand.RGB, t float64) brand.RGB {
	var m brand.RGB
	for i := range m {
		m[i] = uint8(math.Round(float64(a[i])*(1-t) + float64(b[i])*t))
	}
	return m
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b brand.RGB) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c brand.RGB) float64 {
	var ch [3]float64
	for i, v := range c {
		s := float64(v) / 255
		if s <= 0.04045 {
			ch[i] = s / 12.92
		} else {
			ch[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}

func hexOf(c brand.RGB) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }
