package console

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/mail"
)

type mailView struct {
	Page
	M    *mail.Stored
	SMTP bool
}

// MailShow shows one kept message (admins): the text part as text, the
// HTML part in a sandboxed frame served by MailHTML and as escaped source.
// The message's HTML is never part of the console's own page.
func (c *Console) MailShow(g *gin.Context) {
	m, err := c.storedMail(g)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := mailView{Page: c.page(g, m.Subject, "settings"), M: m, SMTP: c.SMTPConfigured}
	c.render(g, http.StatusOK, "mail_show", &view)
}

// mailCSP lets a kept HTML mail show its inline styles and embedded images
// and nothing else: sandboxed (no script, no form, its own opaque origin),
// no request anywhere, framed only by the console.
const mailCSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

// MailHTML serves a kept message's HTML part for the sandboxed frame of
// MailShow (admins).
func (c *Console) MailHTML(g *gin.Context) {
	m, err := c.storedMail(g)
	if err != nil {
		c.fail(g, err)
		return
	}
	h := g.Writer.Header()
	h.Set("Content-Security-Policy", mailCSP)
	h.Del("X-Frame-Options") // the console's frame (same origin) shows it
	h.Set("Cache-Control", "no-store")
	g.Data(http.StatusOK, "text/html; charset=utf-8", []byte(m.HTML))
}

func (c *Console) storedMail(g *gin.Context) (*mail.Stored, error) {
	id, err := strconv.ParseInt(g.Param("id"), 10, 64)
	if err != nil {
		return nil, errs.E(errs.NotFound, "no such message")
	}
	return c.Mail.Get(g.Request.Context(), id)
}
