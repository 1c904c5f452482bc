package console

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ticket"
)

// maxFiles caps the files of one reply or note.
const maxFiles = 10

// ArticleCreate adds a public reply (mailed to the customer through the
// outbox) or an internal note, with attachments. A problem re-renders the
// ticket with the draft kept.
func (c *Console) ArticleCreate(g *gin.Context) {
	ctx, v := g.Request.Context(), me(g)
	number := g.Param("number")
	// Check access before storing any file.
	t, err := c.Tickets.Get(ctx, v.Scope, number)
	if err != nil {
		c.fail(g, err)
		return
	}
	var blobs []attachment.Blob
	if !v.Scope.CanWrite(t) {
		err = errs.E(errs.Forbidden, "you may read this ticket but not write to it")
	} else {
		blobs, err = c.uploads(g)
	}
	if err == nil {
		in := ticket.ArticleInput{Kind: ticket.ArticleKind(g.PostForm("kind")), Body: g.PostForm("body"),
			Channel: ticket.ChannelConsole, Attachments: blobs}
		_, err = c.Tickets.AddArticle(ctx, v.Scope, actorOf(g), number, in)
	}
	switch errs.KindOf(err) {
	case "":
		what := "replied"
		if g.PostForm("kind") == string(ticket.Internal) {
			what = "noted"
		}
		c.done(g, "/tickets/"+number, what)
	case errs.Invalid, errs.Conflict, errs.TooLarge, errs.Forbidden:
		c.showTicket(g, statusOf(err), errs.As(err))
	default:
		c.fail(g, err)
	}
}

// uploads stores the form's files under the helpdesk's attachment policy.
// The request body was already capped by the route's body limit.
func (c *Console) uploads(g *gin.Context) ([]attachment.Blob, error) {
	form, err := g.MultipartForm()
	if err != nil || form == nil || len(form.File["files"]) == 0 {
		return nil, nil // a form without files
	}
	files := form.File["files"]
	var nonEmpty int
	for _, fh := range files {
		if fh.Size > 0 || fh.Filename != "" {
			nonEmpty++
		}
	}
	if nonEmpty == 0 {
		return nil, nil
	}
	if len(files) > maxFiles {
		return nil, errs.Fields("too many files", map[string]string{"files": "at most 10 files"})
	}
	policy, err := c.Settings.Helpdesk(g.Request.Context())
	if err != nil {
		return nil, err
	}
	var blobs []attachment.Blob
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, errs.Wrap(errs.Invalid, err, "cannot read the file")
		}
		b, err := c.Files.Put(g.Request.Context(), f, fh.Filename, policy)
		f.Close()
		if err != nil {
			return nil, err
		}
		blobs = append(blobs, b)
	}
	return blobs, nil
}

// actorOf is the audit identity of the signed-in agent.
func actorOf(g *gin.Context) audit.Actor {
	return audit.Actor{Type: audit.ByAgent, ID: me(g).Agent.ID}
}

func statusOf(err error) int {
	switch errs.KindOf(err) {
	case errs.Conflict:
		return http.StatusConflict
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	case errs.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}
