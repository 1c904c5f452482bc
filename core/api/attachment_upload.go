package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/errs"
)

// MaxFilesPerUpload caps the parts of one upload request.
const MaxFilesPerUpload = 10

// AttachmentUpload adds files (multipart/form-data, one or more "file"
// parts) to an article. Each file is checked against the attachment policy
// while it streams in; if any is refused, none is attached.
func (a *API) AttachmentUpload(c *gin.Context) {
	ctx := c.Request.Context()
	articleID, err := strconv.ParseInt(c.Param("article"), 10, 64)
	if err != nil {
		a.Errors.JSON(c, errs.E(errs.NotFound, "no such message on this ticket"))
		return
	}
	// Check access before reading any file.
	if _, err := a.Tickets.Get(ctx, scope(), c.Param("number")); err != nil {
		a.Errors.JSON(c, err)
		return
	}
	policy, err := a.Settings.Helpdesk(ctx)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, policy.MaxAttachmentBytes()*MaxFilesPerUpload+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		a.Errors.JSON(c, errs.Wrap(errs.Invalid, err, "send the files as multipart/form-data in parts named file"))
		return
	}
	var blobs []attachment.Blob
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			a.Errors.JSON(c, errs.Wrap(errs.Invalid, err, "malformed multipart body"))
			return
		}
		if part.FormName() != "file" {
			a.Errors.JSON(c, errs.Fields("unknown part", map[string]string{part.FormName(): "unknown field; files go in parts named file"}))
			return
		}
		if len(blobs) == MaxFilesPerUpload {
			a.Errors.JSON(c, errs.Fields("too many files", map[string]string{"file": "at most 10 files per request"}))
			return
		}
		b, err := a.Files.Put(ctx, part, part.FileName(), policy)
		if err != nil {
			a.Errors.JSON(c, err)
			return
		}
		blobs = append(blobs, b)
	}
	if len(blobs) == 0 {
		a.Errors.JSON(c, errs.Fields("no file", map[string]string{"file": "required"}))
		return
	}
	out, err := a.Tickets.Attach(ctx, scope(), actor(c), c.Param("number"), articleID, blobs)
	if err != nil {
		a.Errors.JSON(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"items": out})
}
