package portal

import (
	"github.com/gin-gonic/gin"

	"github.com/guichet/guichet/core/attachment"
	"github.com/guichet/guichet/core/errs"
)

// uploads stores the form's "file" parts under the helpdesk policy and
// returns them, or a message naming the limit that refused one. Nothing is
// attached when any file is refused.
func (p *Portal) uploads(c *gin.Context) ([]attachment.Blob, string, error) {
	r := current(c)
	form := c.Request.MultipartForm
	if form == nil || len(form.File["file"]) == 0 {
		return nil, "", nil
	}
	var files = form.File["file"]
	var blobs []attachment.Blob
	for _, fh := range files {
		if fh.Size == 0 && fh.Filename == "" {
			continue // an empty file input
		}
		if len(blobs) == MaxFiles {
			return nil, r.L.T("portal.files.too_many", "Max", MaxFiles), nil
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		b, err := p.Files.Put(c.Request.Context(), f, fh.Filename, r.Policy)
		f.Close()
		if msg := p.refusal(c, err); msg != "" {
			return nil, msg, nil
		} else if err != nil {
			return nil, "", err
		}
		blobs = append(blobs, b)
	}
	return blobs, "", nil
}

// refusal turns a policy refusal into a message naming the limit; other
// errors are left to the caller.
func (p *Portal) refusal(c *gin.Context, err error) string {
	r := current(c)
	switch {
	case err == nil:
		return ""
	case errs.Is(err, errs.TooLarge):
		return r.L.T("portal.files.too_large", "MB", r.Policy.MaxAttachmentMB)
	case errs.Is(err, errs.Forbidden):
		return r.L.T("portal.files.off")
	case errs.Is(err, errs.Invalid) && errs.As(err).Message == "file type not allowed":
		return r.L.T("portal.files.type", "Types", joinExt(r.Policy.AllowedExtensions))
	case errs.Is(err, errs.Invalid):
		return r.L.T("portal.files.content")
	}
	return ""
}

func joinExt(exts []string) string {
	out := ""
	for i, e := range exts {
		if i > 0 {
			out += ", "
		}
		out += e
	}
	return out
}
