package custauth_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/custauth"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/core/ratelimit"
	"github.com/guichet/guichet/core/settings"
)

var ctx = context.Background()

func newService(bdb *bun.DB) *custauth.Service {
	return custauth.NewService(bdb, ratelimit.New(bdb), settings.NewService(bdb))
}

// lastCode reads the newest code mail from the outbox and opens it, as the
// mailer would.
func lastCode(tb testing.TB, bdb *bun.DB, s *custauth.Service) string {
	tb.Helper()
	var payload string
	dbtest.Must(tb, bdb.NewRaw("SELECT payload FROM outbox WHERE kind = ? ORDER BY id DESC LIMIT 1", custauth.JobCodeMail).Scan(ctx, &payload))
	var m custauth.CodeMail
	dbtest.Must(tb, json.Unmarshal([]byte(payload), &m))
	if m.Sealed == "" || len(m.Sealed) < 20 {
		tb.Fatalf("code mail payload has no sealed code: %s", payload)
	}
	code, err := s.Unseal(ctx, m.Sealed)
	dbtest.Must(tb, err)
	return code
}

// allowResend forgets the send counters so a test can ask for another code
// without waiting a minute.
func allowResend(tb testing.TB, bdb *bun.DB) {
	tb.Helper()
	_, err := bdb.NewRaw("DELETE FROM rate_limits WHERE key LIKE 'code_send%'").Exec(ctx)
	dbtest.Must(tb, err)
}

func request(tb testing.TB, s *custauth.Service, email string) string {
	tb.Helper()
	flow, err := s.RequestCode(ctx, email, "192.0.2.1", "fr")
	dbtest.Must(tb, err)
	return flow
}

func TestCodeSignsInOnceAndOpensASession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		flow := request(t, s, " Ana@Example.com ")
		if got, _ := s.FlowEmail(ctx, flow); got != "ana@example.com" {
			t.Errorf("flow address = %q, want the normalised address", got)
		}
		code := lastCode(t, bdb, s)
		var n int
		dbtest.Must(t, bdb.NewRaw("SELECT count(*) FROM customer_codes WHERE code_hash = ? OR salt = ?", code, code).Scan(ctx, &n))
		if n != 0 {
			t.Fatal("the code is stored in clear")
		}
		sid, c, err := s.Verify(ctx, flow, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(sid) != 43 || c.Email != "ana@example.com" {
			t.Fatalf("session %q for %+v", sid, c)
		}
		sess, err := s.Session(ctx, sid)
		if err != nil || sess.CustomerID != c.ID {
			t.Fatalf("session lookup: %+v, %v", sess, err)
		}
		if _, _, err := s.Verify(ctx, flow, code); !errs.Is(err, errs.Invalid) {
			t.Errorf("second use of a code: %v, want Invalid", err)
		}
	})
}

func TestHostileCodes(t *testing.T) {
	cases := []struct{ name, code string }{
		{"empty", ""},
		{"five digits", "12345"},
		{"seven digits", "1234567"},
		{"letter", "12345a"},
		{"arabic-indic digits", "١٢٣٤٥٦"},
		{"fullwidth digits", "１２３４５６"},
		{"leading space", " 12345"},
		{"sql", "' OR 1=1 --"},
	}
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				allowResend(t, bdb)
				flow := request(t, s, "bob@example.com")
				if _, _, err := s.Verify(ctx, flow, tc.code); !errs.Is(err, errs.Invalid) {
					t.Fatalf("Verify(%q) = %v, want Invalid", tc.code, err)
				}
				var attempts int
				dbtest.Must(t, bdb.NewRaw("SELECT attempts FROM customer_codes WHERE email = 'bob@example.com'").Scan(ctx, &attempts))
				if attempts != 1 {
					t.Errorf("attempts = %d, want the malformed code counted as one", attempts)
				}
			})
		}
		if _, _, err := s.Verify(ctx, "", ""); !errs.Is(err, errs.Invalid) {
			t.Errorf("empty flow and code: %v", err)
		}
	})
}

func TestCodeDies(t *testing.T) {
	cases := []struct {
		name string
		kill func(t *testing.T, bdb *bun.DB, s *custauth.Service, flow, code string)
	}{
		{"five wrong tries", func(t *testing.T, _ *bun.DB, s *custauth.Service, flow, code string) {
			for range custauth.MaxAttempts {
				s.Verify(ctx, flow, wrong(code))
			}
		}},
		{"expired", func(t *testing.T, _ *bun.DB, s *custauth.Service, flow, _ string) {
			dbtest.Must(t, s.ExpireFlow(ctx, flow, time.Now().Add(-time.Second)))
		}},
		{"a newer code", func(t *testing.T, bdb *bun.DB, s *custauth.Service, _, _ string) {
			allowResend(t, bdb)
			request(t, s, "cy@example.com")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
				s := newService(bdb)
				flow := request(t, s, "cy@example.com")
				code := lastCode(t, bdb, s)
				tc.kill(t, bdb, s, flow, code)
				if _, _, err := s.Verify(ctx, flow, code); !errs.Is(err, errs.Invalid) {
					t.Fatalf("right code after %s: %v, want Invalid", tc.name, err)
				}
			})
		})
	}
}

func wrong(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

func TestSendLimits(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		request(t, s, "dee@example.com")
		if _, err := s.RequestCode(ctx, "DEE@example.com", "192.0.2.9", "fr"); !errs.Is(err, errs.RateLimited) {
			t.Errorf("second code within a minute from another IP: %v, want RateLimited", err)
		}
		for i := range 30 {
			allowResendFor(t, bdb, "code_send:")
			if _, err := s.RequestCode(ctx, "u"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.com", "198.51.100.7", "fr"); err != nil {
				t.Fatalf("send %d from one IP: %v", i, err)
			}
		}
		if _, err := s.RequestCode(ctx, "zz@example.com", "198.51.100.7", "fr"); !errs.Is(err, errs.RateLimited) {
			t.Errorf("31st code from one IP in an hour: %v, want RateLimited", err)
		}
		if _, err := s.RequestCode(ctx, "not an address", "192.0.2.1", "fr"); !errs.Is(err, errs.Invalid) {
			t.Errorf("bad address: %v, want Invalid", err)
		}
	})
}

func allowResendFor(tb testing.TB, bdb *bun.DB, prefix string) {
	_, err := bdb.NewRaw("DELETE FROM rate_limits WHERE key LIKE ?", prefix+"%").Exec(ctx)
	dbtest.Must(tb, err)
}

func TestTwentyFailuresCoolOffTheAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		var flow, code string
		for i := 0; i < 20; i++ {
			if i%custauth.MaxAttempts == 0 {
				allowResend(t, bdb)
				flow = request(t, s, "eve@example.com")
				code = lastCode(t, bdb, s)
			}
			s.Verify(ctx, flow, wrong(code))
		}
		allowResend(t, bdb)
		if _, err := s.RequestCode(ctx, "eve@example.com", "192.0.2.1", "fr"); !errs.Is(err, errs.RateLimited) {
			t.Fatalf("code request during cool-off: %v, want RateLimited", err)
		}
		if _, _, err := s.Verify(ctx, flow, code); !errs.Is(err, errs.RateLimited) {
			t.Errorf("verify during cool-off: %v, want RateLimited", err)
		}
		if _, err := s.RequestCode(ctx, "other@example.com", "192.0.2.1", "fr"); err != nil {
			t.Errorf("another address is not cooled off: %v", err)
		}
	})
}

func TestConcurrentRightCodeMakesOneSession(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		flow := request(t, s, "fay@example.com")
		code := lastCode(t, bdb, s)
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := s.Verify(ctx, flow, code); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		var n int
		dbtest.Must(t, bdb.NewRaw("SELECT count(*) FROM customer_sessions").Scan(ctx, &n))
		if ok != 1 || n != 1 {
			t.Fatalf("%d successes and %d sessions, want 1 and 1", ok, n)
		}
	})
}

func TestSignOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		s := newService(bdb)
		signIn := func() string {
			allowResend(t, bdb)
			flow := request(t, s, "gus@example.com")
			sid, _, err := s.Verify(ctx, flow, lastCode(t, bdb, s))
			dbtest.Must(t, err)
			return sid
		}
		a, b, c := signIn(), signIn(), signIn()
		if a == b || b == c {
			t.Fatal("two sign-ins share a session id")
		}
		dbtest.Must(t, s.SignOut(ctx, a))
		if _, err := s.Session(ctx, a); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("signed-out session: %v", err)
		}
		sess, err := s.Session(ctx, b)
		dbtest.Must(t, err)
		dbtest.Must(t, s.SignOutEverywhere(ctx, sess.CustomerID))
		for _, id := range []string{b, c} {
			if _, err := s.Session(ctx, id); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("session after sign out everywhere: %v", err)
			}
		}
		for _, id := range []string{"", "short", a + "x"} {
			if _, err := s.Session(ctx, id); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("Session(%q): %v", id, err)
			}
		}
		_, err = bdb.NewRaw("UPDATE customer_sessions SET expires_at = ?", time.Now().Add(-time.Minute)).Exec(ctx)
		dbtest.Must(t, err)
		d := signIn()
		_, err = bdb.NewRaw("UPDATE customer_sessions SET expires_at = ?", time.Now().UTC().Add(-time.Minute)).Exec(ctx)
		dbtest.Must(t, err)
		if _, err := s.Session(ctx, d); !errs.Is(err, errs.Unauthorized) {
			t.Errorf("expired session: %v", err)
		}
	})
}
