package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
)

const keyCSRF = "guichet.csrf"

// Cookies decides how cookies are named and flagged for a request: the
// __Host- prefix and Secure over HTTPS, and SameSite=None; Partitioned when a
// surface is embedded in another site's iframe.
type Cookies struct {
	Proxies TrustedProxies
	// Embedded reports whether the response may be framed by another site.
	Embedded func(c *gin.Context) bool
}

// Name returns the cookie name for base on this request.
func (k Cookies) Name(c *gin.Context, base string) string {
	if IsHTTPS(c, k.Proxies) {
		return "__Host-" + base
	}
	return base
}

// Set writes a host-only, HttpOnly cookie on path /. maxAge < 0 deletes it.
func (k Cookies) Set(c *gin.Context, base, value string, maxAge int) {
	secure := IsHTTPS(c, k.Proxies)
	ck := &http.Cookie{Name: k.Name(c, base), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	if secure && k.Embedded != nil && k.Embedded(c) {
		ck.SameSite, ck.Partitioned = http.SameSiteNoneMode, true
	}
	http.SetCookie(c.Writer, ck)
}

// Get returns the cookie's value, or "".
func (k Cookies) Get(c *gin.Context, base string) string {
	v, err := c.Cookie(k.Name(c, base))
	if err != nil {
		return ""
	}
	return v
}

// CSRF protects unsafe methods with a double-submit token (a random cookie
// that the form field "csrf" or the X-CSRF-Token header must repeat) and, when
// the browser sends one, an Origin that must be our own. Tokens plus the
// Origin check keep working when SameSite=None is needed for iframes.
type CSRF struct {
	Cookies Cookies
	// Origin returns our own origin (scheme://host[:port]) for a request.
	Origin func(c *gin.Context) string
}

// Middleware issues the token and checks unsafe requests.
func (x CSRF) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		token := x.Cookies.Get(c, "csrf")
		if len(token) != 43 {
			b := make([]byte, 32)
			rand.Read(b)
			token = base64.RawURLEncoding.EncodeToString(b)
			x.Cookies.Set(c, "csrf", token, 0)
		}
		c.Set(keyCSRF, token)
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			c.Next()
			return
		}
		if err := x.check(c, token); err != nil {
			c.AbortWithStatus(http.StatusForbidden)
			c.Error(err)
			return
		}
		c.Next()
	}
}

func (x CSRF) check(c *gin.Context, token string) error {
	if origin := requestOrigin(c); origin != "" && origin != x.Origin(c) {
		return errs.E(errs.Forbidden, "cross-site request refused")
	}
	sent := c.GetHeader("X-CSRF-Token")
	if sent == "" {
		sent = c.PostForm("csrf")
	}
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
		return errs.E(errs.Forbidden, "the form expired; reload the page and try again")
	}
	return nil
}

// requestOrigin is the browser's Origin header, or the origin of its Referer.
func requestOrigin(c *gin.Context) string {
	if o := c.GetHeader("Origin"); o != "" {
		return o
	}
	if r := c.GetHeader("Referer"); r != "" {
		if u, err := url.Parse(r); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return ""
}

// CSRFToken returns the token forms must carry in their "csrf" field.
func CSRFToken(c *gin.Context) string { return c.GetString(keyCSRF) }

// OwnOrigin returns scheme://host of a base URL, or, when base is empty,
// of the request as the client addressed it.
func OwnOrigin(base string, proxies TrustedProxies) func(c *gin.Context) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		o := u.Scheme + "://" + u.Host
		return func(*gin.Context) string { return o }
	}
	return func(c *gin.Context) string {
		scheme := "http"
		if IsHTTPS(c, proxies) {
			scheme = "https"
		}
		return scheme + "://" + strings.ToLower(c.Request.Host)
	}
}
