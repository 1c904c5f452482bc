package agent_test

import (
	"context"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/agent"
	"github.com/guichet/guichet/core/dbtest"
	"github.com/guichet/guichet/core/errs"
)

var admin = agent.Input{Email: "Zoe@Help.test", Name: "Zoé", Password: "correct horse battery"}

func TestSetupTokenWorksOnceEvenConcurrently(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := agent.NewService(bdb)
		token, err := s.IssueSetupToken(ctx)
		dbtest.Must(t, err)
		if len(token) < 40 {
			t.Fatalf("token %q too short", token)
		}
		dbtest.Must(t, s.CheckSetupToken(ctx, token))
		if err := s.CheckSetupToken(ctx, token+"x"); !errs.Is(err, errs.NotFound) {
			t.Errorf("wrong token accepted: %v", err)
		}
		var wg sync.WaitGroup
		created := make(chan *agent.Agent, 4)
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := admin
				in.Email = []string{"a@h.test", "b@h.test", "c@h.test", "d@h.test"}[i]
				if a, err := s.CreateFirstAdmin(ctx, token, in); err == nil {
					created <- a
				}
			}()
		}
		wg.Wait()
		close(created)
		n := 0
		for a := range created {
			n++
			if a.Role != agent.RoleAdmin {
				t.Errorf("first agent role %s", a.Role)
			}
		}
		if n != 1 {
			t.Fatalf("%d admins created from one token, want 1", n)
		}
		if err := s.CheckSetupToken(ctx, token); !errs.Is(err, errs.NotFound) {
			t.Errorf("used token still valid: %v", err)
		}
		again, err := s.IssueSetupToken(ctx)
		if err != nil || again != "" {
			t.Errorf("setup token issued although an agent exists: %q %v", again, err)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := agent.NewService(bdb)
		in := admin
		in.Role = agent.RoleAgent
		a, err := s.Create(ctx, in)
		dbtest.Must(t, err)
		if a.Email != "zoe@help.test" || a.PasswordHash == "" || a.PasswordHash == in.Password {
			t.Errorf("created %+v", a)
		}
		if _, err := s.Create(ctx, in); !errs.Is(err, errs.Invalid) {
			t.Errorf("duplicate email: %v", err)
		}
		got, err := s.Authenticate(ctx, "ZOE@help.test", in.Password)
		if err != nil || got.ID != a.ID || got.IsAdmin() {
			t.Errorf("Authenticate = %+v, %v", got, err)
		}
		for _, c := range [][2]string{{"zoe@help.test", "wrong password!"}, {"nobody@help.test", in.Password}, {"not an email", "x"}} {
			if _, err := s.Authenticate(ctx, c[0], c[1]); !errs.Is(err, errs.Unauthorized) || err.Error() != "unauthorized: wrong email or password" {
				t.Errorf("Authenticate(%q) = %v, want the one generic error", c[0], err)
			}
		}
	})
}

func TestPasswordHash(t *testing.T) {
	h, err := agent.HashPassword("s3cret passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !agent.CheckPassword(h, "s3cret passphrase") || agent.CheckPassword(h, "s3cret passphrasE") {
		t.Error("CheckPassword disagrees with HashPassword")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$bcrypt$x", h[:len(h)-5]} {
		if agent.CheckPassword(bad, "s3cret passphrase") {
			t.Errorf("malformed hash %q matched", bad)
		}
	}
}
