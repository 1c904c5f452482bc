package web

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"
)

const (
	keyRequestID = "guichet.request_id"
	keyNonce     = "guichet.nonce"
)

// RequestIDs gives each request an id, echoed in X-Request-Id and in error
// bodies so a user's report can be matched with the logs.
func RequestIDs() gin.HandlerFunc {
	return func(c *gin.Context) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set(keyRequestID, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// RequestID returns the current request's id.
func RequestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// Nonce returns the CSP nonce of the current request, for inline scripts.
func Nonce(c *gin.Context) string { return c.GetString(keyNonce) }

// Headers configures SecurityHeaders.
type Headers struct {
	// FrameAncestors returns the origins allowed to frame this response;
	// empty means none ('none').
	FrameAncestors func(c *gin.Context) []string
	// ExtraCSP is appended to the policy (for example a report-to).
	ExtraCSP string
	// Proxies decides whose X-Forwarded-Proto is believed for HSTS.
	Proxies TrustedProxies
}

// SecurityHeaders sets a nonce-based Content-Security-Policy that keeps every
// resource on our origin, nosniff, a strict referrer policy, frame-ancestors,
// and HSTS when the request came over HTTPS.
func SecurityHeaders(h Headers) gin.HandlerFunc {
	return func(c *gin.Context) {
		b := make([]byte, 16)
		rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		c.Set(keyNonce, nonce)
		frame := "'none'"
		if h.FrameAncestors != nil {
			if origins := h.FrameAncestors(c); len(origins) > 0 {
				frame = strings.Join(origins, " ")
			}
		}
		csp := "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src 'self'; img-src 'self' data:; " +
			"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frame
		if h.ExtraCSP != "" {
			csp += "; " + h.ExtraCSP
		}
		hd := c.Writer.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if frame == "'none'" {
			hd.Set("X-Frame-Options", "DENY")
		}
		if IsHTTPS(c, h.Proxies) {
			hd.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		c.Next()
	}
}

// IsHTTPS reports whether the client reached us over TLS, directly or
// through a trusted proxy that says so in X-Forwarded-Proto.
func IsHTTPS(c *gin.Context, proxies TrustedProxies) bool {
	if c.Request.TLS != nil {
		return true
	}
	return proxies.Trusts(c.Request.RemoteAddr) && strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

// TrustedProxies lists the networks whose forwarding headers are believed.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma-separated list of addresses or CIDRs.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			f = netip.PrefixFrom(a, a.BitLen()).String()
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Strings returns the list in the form gin.Engine.SetTrustedProxies takes.
func (p TrustedProxies) Strings() []string {
	out := make([]string, len(p))
	for i, x := range p {
		out[i] = x.String()
	}
	return out
}

// Trusts reports whether remoteAddr (host:port) is a trusted proxy.
func (p TrustedProxies) Trusts(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, x := range p {
		if x.Contains(a) {
			return true
		}
	}
	return false
}
