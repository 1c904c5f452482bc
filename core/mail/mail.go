// Package mail sends Guichet's outbound mail through the outbox: over SMTP
// when GUICHET_SMTP_URL is set, otherwise into the dev mail sink (a database
// table, logged, listed by `guichet mail list`). It composes the localized
// multipart text+HTML mails of the customer flow: sign-in codes, the
// acknowledgement of a new ticket and agents' public replies, each with the
// ticket's signed link. It must not import net/http or gin.
package mail

import (
	"context"
	"strings"
	"unicode"
)

// Message is one mail, ready to send.
type Message struct {
	Kind    string // code, ticket_created, reply: for the sink and logs
	From    string
	To      string
	Subject string
	Text    string
	HTML    string
	// Code is the sign-in code of a code mail; only the dev sink logs it.
	Code string
}

// Sender delivers a message; an error makes the outbox retry later.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// HeaderSafe makes s fit in one header line: CR, LF and every other control
// character become spaces, so nothing a customer typed can add a header.
func HeaderSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
