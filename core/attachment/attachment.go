// Package attachment stores files attached to ticket articles. Content lives
// under the data directory, addressed by its SHA-256 (never by its name);
// the policy from the helpdesk settings (on/off, size, extensions) is enforced
// while reading, and the content is sniffed and must agree with the
// extension. It must not import net/http or gin.
package attachment

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/settings"
)

// Blob is stored content waiting to be attached to an article.
type Blob struct {
	SHA256      string
	Size        int64
	ContentType string
	Filename    string
}

// Attachment is a file on an article. PublicID is the only identifier shown
// outside; every access re-checks the owning ticket.
type Attachment struct {
	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	PublicID      string    `bun:"public_id" json:"id"`
	TicketID      int64     `bun:"ticket_id" json:"-"`
	ArticleID     int64     `bun:"article_id" json:"-"`
	Filename      string    `bun:"filename" json:"filename"`
	ContentType   string    `bun:"content_type" json:"content_type"`
	Size          int64     `bun:"size" json:"size"`
	SHA256        string    `bun:"sha256" json:"-"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	bun.BaseModel `bun:"table:attachments"`
}

// SafeInline reports whether a browser may show the content in the page:
// only raster images whose type was sniffed from the bytes.
func SafeInline(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return true
	}
	return false
}

// Store keeps attachment content on disk.
type Store struct{ dir string }

// NewStore keeps files under dataDir/attachments.
func NewStore(dataDir string) *Store { return &Store{dir: filepath.Join(dataDir, "attachments")} }

// Put reads r under policy, stores the content and returns its Blob. Nothing
// is kept when any check fails. The size limit applies while reading, before
// anything is parsed.
func (s *Store) Put(ctx context.Context, r io.Reader, filename string, policy settings.Helpdesk) (Blob, error) {
	if !policy.AttachmentsEnabled {
		return Blob{}, errs.E(errs.Forbidden, "attachments are turned off on this helpdesk")
	}
	name := NormalizeFilename(filename)
	ext := extension(name)
	if !policy.AllowsExtension(ext) {
		return Blob{}, errs.Fields("file type not allowed", map[string]string{
			"file": fmt.Sprintf("%q: allowed types are %s", name, strings.Join(policy.AllowedExtensions, ", "))})
	}
	tmp, sum, size, err := s.spool(r, policy.MaxAttachmentBytes())
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return Blob{}, errs.E(errs.TooLarge, "%q is larger than the %d MB limit", name, policy.MaxAttachmentMB)
		}
		return Blob{}, err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if size == 0 {
		return Blob{}, errs.Fields("empty file", map[string]string{"file": fmt.Sprintf("%q is empty", name)})
	}
	mt, err := mimetype.DetectFile(tmp)
	if err != nil {
		return Blob{}, fmt.Errorf("attachment: sniff: %w", err)
	}
	if err := checkContent(name, ext, mt); err != nil {
		return Blob{}, err
	}
	final := s.path(sum)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Blob{}, fmt.Errorf("attachment: %w", err)
	}
	if _, err := os.Stat(final); err != nil {
		if err := os.Rename(tmp, final); err != nil {
			return Blob{}, fmt.Errorf("attachment: store: %w", err)
		}
	}
	ct, _, _ := strings.Cut(mt.String(), ";")
	return Blob{SHA256: sum, Size: size, ContentType: ct, Filename: name}, nil
}

var errTooLarge = errors.New("too large")

func (s *Store) spool(r io.Reader, max int64) (path, sum string, size int64, err error) {
	tmpDir := filepath.Join(s.dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o750); err != nil {
		return "", "", 0, fmt.Errorf("attachment: %w", err)
	}
	f, err := os.CreateTemp(tmpDir, "upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("attachment: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if err == nil && n > max {
		err = errTooLarge
	}
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", 0, err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), n, nil
}

// Open returns the stored content of sum.
func (s *Store) Open(sum string) (*os.File, error) {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return nil, errs.E(errs.NotFound, "no such file")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.E(errs.NotFound, "no such file")
	}
	return f, err
}

func (s *Store) path(sum string) string { return filepath.Join(s.dir, sum[:2], sum[2:4], sum) }

// Attach records blobs as attachments of an article, through db (normally
// the transaction that creates the article).
func Attach(ctx context.Context, db bun.IDB, ticketID, articleID int64, blobs []Blob) ([]Attachment, error) {
	out := make([]Attachment, 0, len(blobs))
	for _, b := range blobs {
		out = append(out, Attachment{PublicID: newPublicID(), TicketID: ticketID, ArticleID: articleID, Filename: b.Filename,
			ContentType: b.ContentType, Size: b.Size, SHA256: b.SHA256, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)})
	}
	if len(out) == 0 {
		return out, nil
	}
	return out, insert(ctx, db, out)
}

// ForArticles returns the attachments of the given articles by article id.
func ForArticles(ctx context.Context, db bun.IDB, articleIDs []int64) (map[int64][]Attachment, error) {
	return forArticles(ctx, db, articleIDs)
}

// ByPublicID returns an attachment of ticketID, or NotFound (also when it
// belongs to another ticket).
func ByPublicID(ctx context.Context, db bun.IDB, ticketID int64, publicID string) (*Attachment, error) {
	return byPublicID(ctx, db, ticketID, publicID)
}

func newPublicID() string {
	b := make([]byte, 15)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}
