// Package custauth signs customers in without a password: a 6-digit code
// sent by mail opens a server-side session. It owns the codes (hashed, 10
// minutes, single use, bound to the browser flow and the normalised address,
// 5 wrong tries, send limits, cool-off) and the sessions (256-bit random ids
// stored hashed, 7 days absolute). It must not import net/http or gin.
package custauth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math/big"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/customer"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/jobs"
	"github.com/guichet/guichet/core/ratelimit"
)

// The rules of security.md.
const (
	CodeTTL       = 10 * time.Minute
	MaxAttempts   = 5
	SessionTTL    = 7 * 24 * time.Hour
	CoolOff       = time.Hour
	maxFailures   = 20 // per address in 24 h, then CoolOff
	PurposeSignIn = "signin"
)

// Send limits per address, and per client IP so one machine cannot spray
// codes at many addresses.
var (
	addressSends = []ratelimit.Rule{{Max: 1, Window: time.Minute}, {Max: 5, Window: time.Hour}, {Max: 10, Window: 24 * time.Hour}}
	ipSends      = []ratelimit.Rule{{Max: 30, Window: time.Hour}}
	failRule     = ratelimit.Rule{Max: maxFailures - 1, Window: 24 * time.Hour}
)

// JobCodeMail is the outbox kind of a code mail; its payload is CodeMail.
const JobCodeMail = "mail.code"

// CodeMail asks the mailer to send a code. The code travels sealed, so the
// outbox table never holds a usable code.
type CodeMail struct {
	To     string `json:"to"`
	Lang   string `json:"lang"`
	Sealed string `json:"sealed"`
}

// KeySource hands out server secrets by name (settings.Service does).
type KeySource interface {
	Secret(ctx context.Context, name string) ([]byte, error)
}

// Service issues codes and sessions.
type Service struct {
	db     *bun.DB
	limits *ratelimit.Limiter
	keys   KeySource
}

// NewService returns the sign-in service.
func NewService(db *bun.DB, limits *ratelimit.Limiter, keys KeySource) *Service {
	return &Service{db: db, limits: limits, keys: keys}
}

// Session is a signed-in customer.
type Session struct {
	CustomerID int64
	ExpiresAt  time.Time
}

// errWrongCode is the one answer for a wrong, expired, used or dead code.
var errWrongCode = errs.E(errs.Invalid, "this code is wrong or has expired")

// RequestCode mails a new code to email (known or not: the answer is the
// same, and the mail goes out through the outbox) and returns the flow id
// the browser must present with the code. The previous code dies.
func (s *Service) RequestCode(ctx context.Context, email, ip, lang string) (string, error) {
	addr, err := customer.NormalizeEmail(email)
	if err != nil {
		return "", err
	}
	if err := s.limits.Allow(ctx, "code_send_ip:"+ip, ipSends...); err != nil {
		return "", err
	}
	if err := s.limits.Allow(ctx, "code_send:"+addr, addressSends...); err != nil {
		return "", err
	}
	if err := s.checkLockout(ctx, addr); err != nil {
		return "", err
	}
	code, flow, salt := newCode(), randomToken(), randomToken()
	sealed, err := s.seal(ctx, code)
	if err != nil {
		return "", err
	}
	err = db.InTx(ctx, s.db, func(tx bun.Tx) error {
		now, err := db.Now(ctx, tx)
		if err != nil {
			return err
		}
		row := codeRow{Email: addr, Purpose: PurposeSignIn, FlowHash: digest(flow), Salt: salt,
			CodeHash: codeHash(salt, addr, code), ExpiresAt: now.Add(CodeTTL), CreatedAt: now}
		if err := replaceCode(ctx, tx, &row); err != nil {
			return err
		}
		return jobs.Enqueue(ctx, tx, JobCodeMail, CodeMail{To: addr, Lang: lang, Sealed: sealed})
	})
	return flow, err
}

// FlowEmail returns the address a flow's code was sent to, for the code
// page ("we sent a code to …"), or NotFound.
func (s *Service) FlowEmail(ctx context.Context, flow string) (string, error) {
	row, err := codeByFlow(ctx, s.db, digest(flow))
	if err != nil {
		return "", err
	}
	return row.Email, nil
}

// Verify checks code against the flow's live code. Exactly six ASCII digits
// are accepted; anything else counts as a wrong attempt. The right code opens
// one session, even when submitted twice at once: only one request can mark
// the code used.
func (s *Service) Verify(ctx context.Context, flow, code string) (sessionID string, c *customer.Customer, err error) {
	row, err := codeByFlow(ctx, s.db, digest(flow))
	if err != nil {
		return "", nil, errWrongCode
	}
	if err := s.checkLockout(ctx, row.Email); err != nil {
		return "", nil, err
	}
	if !sixDigits(code) || !s.consume(ctx, row, code) {
		return "", nil, s.fail(ctx, row)
	}
	err = db.InTx(ctx, s.db, func(tx bun.Tx) error {
		if c, err = customer.FindOrCreate(ctx, tx, row.Email, ""); err != nil {
			return err
		}
		sessionID, err = createSession(ctx, tx, c.ID)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return sessionID, c, s.limits.Reset(ctx, "code_fail:"+row.Email, failRule)
}

// consume marks the code used if it is right, live and not dead.
func (s *Service) consume(ctx context.Context, row *codeRow, code string) bool {
	ok, err := markUsed(ctx, s.db, row.FlowHash, codeHash(row.Salt, row.Email, code))
	return err == nil && ok
}

// fail counts a wrong attempt on the code and on the address; the 20th
// failure in 24 h starts a cool-off.
func (s *Service) fail(ctx context.Context, row *codeRow) error {
	if err := addAttempt(ctx, s.db, row.FlowHash); err != nil {
		return err
	}
	if err := s.limits.Allow(ctx, "code_fail:"+row.Email, failRule); errs.Is(err, errs.RateLimited) {
		if err := lockOut(ctx, s.db, row.Email, CoolOff); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	return errWrongCode
}

func (s *Service) checkLockout(ctx context.Context, addr string) error {
	locked, err := isLockedOut(ctx, s.db, addr)
	if err != nil {
		return err
	}
	if locked {
		return errs.E(errs.RateLimited, "too many wrong codes for this address; try again in an hour")
	}
	return nil
}

// Session returns the live session with that id, or Unauthorized.
func (s *Service) Session(ctx context.Context, id string) (*Session, error) {
	if len(id) != 43 {
		return nil, errs.E(errs.Unauthorized, "not signed in")
	}
	return sessionByHash(ctx, s.db, digest(id))
}

// SignOut ends one session now.
func (s *Service) SignOut(ctx context.Context, id string) error {
	return deleteSession(ctx, s.db, digest(id))
}

// SignOutEverywhere ends every session of the customer now.
func (s *Service) SignOutEverywhere(ctx context.Context, customerID int64) error {
	return deleteSessions(ctx, s.db, customerID)
}

func sixDigits(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func newCode() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
	s := n.String()
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// randomToken is 256 random bits, URL-safe (43 characters).
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// codeHash binds the code to its address; the per-code salt keeps equal
// codes from having equal hashes.
func codeHash(salt, addr, code string) string { return digest(salt + "|" + addr + "|" + code) }
