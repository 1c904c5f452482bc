package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/mail"
)

type mailListView struct {
	Page
	Messages []mail.Stored
	// SMTP is true when mail really leaves; the sink then only holds what
	// was kept before.
	SMTP bool
}

// MailList shows the last messages the dev mail sink kept (admins).
func (c *Console) MailList(g *gin.Context) {
	msgs, err := c.Mail.List(g.Request.Context(), "", 100)
	if err != nil {
		c.fail(g, err)
		return
	}
	view := mailListView{Page: c.page(g, "", "settings"), Messages: msgs, SMTP: c.SMTPConfigured}
	view.Title = view.L.T("mailsink.title")
	c.render(g, http.StatusOK, "mail_list", &view)
}
