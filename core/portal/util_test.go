package portal_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

func ticketActor() audit.Actor { return audit.System }

var rule1min = ratelimit.Rule{Max: 1, Window: time.Minute}

func ptr[T any](v T) *T { return &v }

var regexpLink = regexp.MustCompile(`http://localhost:8080/t/[0-9A-Z]+/[A-Za-z0-9_-]+`)

func mustArticles(t *testing.T, h *servertest.Harness, number string) []ticket.Article {
	t.Helper()
	tk, err := h.App.Tickets.Get(ctx, ticket.AllQueues(), number)
	if err != nil {
		t.Fatal(err)
	}
	arts, err := h.App.Tickets.Articles(ctx, ticket.AllQueues(), tk)
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

func flipFirst(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

var volatile = regexp.MustCompile(`(name="csrf" value=")[^"]*|nonce-[^']*|/assets/[^"]*`)

// stripVolatile removes what changes between two renders of one page.
func stripVolatile(s string) string { return volatile.ReplaceAllString(s, "$1") }
