package console_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/server/servertest"
	"github.com/guichet/guichet/core/ticket"
)

// TestEveryActionGoesThroughTheScope covers role × action × ticket in a
// permitted or forbidden queue. A ticket outside the scope is invisible
// (404, absent from lists and counts), exactly like one that does not exist;
// read access shows but does not change.
func TestEveryActionGoesThroughTheScope(t *testing.T) {
	type outcome int
	const (
		allowed  outcome = iota
		hidden           // 404 or absent
		readOnly         // visible, change refused with 403
	)
	roles := []struct {
		name      string
		email     string
		permitted outcome // on the ticket in queue A
		forbidden outcome // on the ticket in queue B
	}{
		{"admin", "admin@example.com", allowed, allowed},
		{"agent with read on A", "reader@example.com", readOnly, hidden},
		{"agent with write on A", "writer@example.com", allowed, hidden},
		{"agent without access", "none@example.com", hidden, hidden},
	}
	type action struct {
		name  string
		write bool
		// do runs the action on tk and reports whether it succeeded, was
		// hidden, or was refused.
		do func(t *testing.T, w *world, tk *ticket.Ticket, att string) outcome
	}
	status := func(r *servertest.Response, okCode int) outcome {
		switch r.Status {
		case okCode:
			return allowed
		case http.StatusNotFound:
			return hidden
		case http.StatusForbidden:
			return readOnly
		}
		return -1
	}
	actions := []action{
		{"list", false, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			r := w.h.Do(servertest.Request{Path: "/console"})
			if strings.Contains(r.Body, "/tickets/"+tk.Number+`"`) {
				return allowed
			}
			return hidden
		}},
		{"search", false, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			r := w.h.Do(servertest.Request{Path: "/console?q=" + tk.Number})
			if strings.Contains(r.Body, "/tickets/"+tk.Number+`"`) {
				return allowed
			}
			return hidden
		}},
		{"count", false, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			r := w.h.Do(servertest.Request{Path: "/console"})
			if strings.Contains(r.Body, "queue="+itoa(tk.QueueID)+`"`) {
				return allowed
			}
			return hidden
		}},
		{"view", false, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(w.h.Do(servertest.Request{Path: "/console/tickets/" + tk.Number}), http.StatusOK)
		}},
		{"attachment download", false, func(t *testing.T, w *world, tk *ticket.Ticket, att string) outcome {
			return status(w.h.Do(servertest.Request{Path: "/console/tickets/" + tk.Number + "/attachments/" + att}), http.StatusOK)
		}},
		{"live update", false, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(w.h.Do(servertest.Request{Path: "/console/live?t=" + tk.Number}), http.StatusOK)
		}},
		{"internal note", true, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(post(t, w.h, "/console/tickets/"+tk.Number+"/articles", url.Values{"kind": {"internal"}, "body": {"note"}}), http.StatusSeeOther)
		}},
		{"reply", true, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(post(t, w.h, "/console/tickets/"+tk.Number+"/articles", url.Values{"kind": {"public"}, "body": {"hello"}}), http.StatusSeeOther)
		}},
		{"reply with a file", true, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(postFiles(t, w.h, "/console/tickets/"+tk.Number+"/articles", url.Values{"kind": {"public"}, "body": {"see file"}},
				map[string][]byte{"notes.txt": []byte("some text")}), http.StatusSeeOther)
		}},
		{"change", true, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			return status(post(t, w.h, "/console/tickets/"+tk.Number, url.Values{"priority": {"5"}}), http.StatusSeeOther)
		}},
		{"lock", true, func(t *testing.T, w *world, tk *ticket.Ticket, _ string) outcome {
			o := status(post(t, w.h, "/console/tickets/"+tk.Number+"/lock", nil), http.StatusSeeOther)
			post(t, w.h, "/console/tickets/"+tk.Number+"/unlock", nil)
			return o
		}},
	}
	expect := func(role outcome, a action) outcome {
		if role == readOnly && !a.write {
			return allowed
		}
		return role
	}
	servertest.Run(t, func(t *testing.T, h *servertest.Harness) {
		w := newWorld(t, h)
		atts := map[string]string{}
		for _, tk := range []*ticket.Ticket{w.ta, w.tb} {
			atts[tk.Number] = mustAttachment(t, h, tk)
		}
		for _, role := range roles {
			t.Run(role.name, func(t *testing.T) {
				signIn(t, h, role.email)
				for _, a := range actions {
					for _, c := range []struct {
						where string
						tk    *ticket.Ticket
						want  outcome
					}{{"permitted queue", w.ta, expect(role.permitted, a)}, {"forbidden queue", w.tb, expect(role.forbidden, a)}} {
						t.Run(a.name+" in "+c.where, func(t *testing.T) {
							if got := a.do(t, w, c.tk, atts[c.tk.Number]); got != c.want {
								t.Errorf("outcome %d, want %d (0 allowed, 1 hidden, 2 read-only)", got, c.want)
							}
						})
					}
				}
			})
		}
		t.Run("nothing was written outside the scope", func(t *testing.T) {
			arts, err := h.App.Tickets.Articles(ctx, ticket.AllQueues(), w.tb)
			dbtest.Must(t, err)
			for _, a := range arts {
				if a.AuthorAgentID != 0 && a.AuthorAgentID != w.admin.ID {
					t.Errorf("article by agent %d on the forbidden ticket", a.AuthorAgentID)
				}
			}
		})
	})
}

// mustAttachment puts a small text file on a ticket's first message and
// returns its public id.
func mustAttachment(tb testing.TB, h *servertest.Harness, tk *ticket.Ticket) string {
	tb.Helper()
	policy, err := h.App.Settings.Helpdesk(ctx)
	dbtest.Must(tb, err)
	blob, err := h.App.Files.Put(ctx, bytes.NewReader([]byte("log line\n")), "trace.log", policy)
	dbtest.Must(tb, err)
	arts, err := h.App.Tickets.Articles(ctx, ticket.AllQueues(), tk)
	dbtest.Must(tb, err)
	got, err := h.App.Tickets.Attach(ctx, ticket.AllQueues(), audit.Actor{Type: audit.ByAPIKey, ID: 1}, tk.Number, arts[0].ID, []attachment.Blob{blob})
	dbtest.Must(tb, err)
	return got[0].PublicID
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
