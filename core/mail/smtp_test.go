package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/guichet/guichet/core/mail"
)

// smtpServer is a real SMTP server on a TCP port, requiring STARTTLS and
// PLAIN authentication, that keeps what it receives.
type smtpServer struct {
	mu   sync.Mutex
	got  []received
	addr string
	ca   *x509.CertPool
}

type received struct {
	from, user string
	to         []string
	data       string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	cert, pool := selfSigned(t)
	s := &smtpServer{ca: pool}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{srv: s, tls: isTLS}, nil
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

type session struct {
	srv *smtpServer
	tls bool
	cur received
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "guichet" || pass != "s3cret pass" {
			return errors.New("bad credentials")
		}
		s.cur.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error { s.cur.from = from; return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.srv.mu.Lock()
	s.srv.got = append(s.srv.got, s.cur)
	s.srv.mu.Unlock()
	return nil
}
func (s *session) Reset()        { s.cur = received{user: s.cur.user} }
func (s *session) Logout() error { return nil }

func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestSMTPSendsMultipartOverSTARTTLS(t *testing.T) {
	srv := startSMTP(t)
	s, err := mail.NewSMTP("smtp://guichet:s3cret%20pass@"+srv.addr, &tls.Config{RootCAs: srv.ca, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), mail.Message{From: `"Guichet" <support@example.com>`, To: "ana@example.com",
		Subject: "[#K7Q2M] Écran\r\nBcc: evil@example.com", Text: "Bonjour\nlien", HTML: "<p>Bonjour</p>"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages", len(msgs))
	}
	m := msgs[0]
	if m.user != "guichet" || len(m.to) != 1 || m.to[0] != "ana@example.com" {
		t.Errorf("envelope: user %q, to %v", m.user, m.to)
	}
	head, _, _ := strings.Cut(m.data, "\r\n\r\n")
	for _, want := range []string{"Auto-Submitted: auto-generated", "multipart/alternative", "Message-ID: <"} {
		if !strings.Contains(head, want) {
			t.Errorf("headers lack %q:\n%s", want, head)
		}
	}
	for _, line := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(strings.ToLower(line), "bcc:") {
			t.Errorf("a CR/LF in the subject added a header: %q", line)
		}
	}
	if !strings.Contains(m.data, "text/plain") || !strings.Contains(m.data, "text/html") {
		t.Errorf("not text+HTML:\n%s", m.data)
	}
}

func TestSMTPRefusesPlainTextWhenTLSIsRequired(t *testing.T) {
	srv := startSMTP(t)
	// A client that trusts no CA cannot complete STARTTLS, and mandatory
	// TLS means it must not fall back to sending in clear.
	s, err := mail.NewSMTP("smtp://guichet:s3cret%20pass@"+srv.addr, &tls.Config{RootCAs: x509.NewCertPool(), ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), mail.Message{From: "a@example.com", To: "b@example.com", Subject: "x", Text: "x", HTML: "x"}); err == nil {
		t.Fatal("sent although TLS could not be established")
	}
	if n := len(srv.messages()); n != 0 {
		t.Fatalf("server received %d messages in clear", n)
	}
}

func TestNewSMTPRejectsBadURLs(t *testing.T) {
	cases := []struct{ name, url string }{
		{"http scheme", "http://mail.example.com"},
		{"no host", "smtp://"},
		{"bad starttls", "smtp://mail.example.com?starttls=maybe"},
		{"bad port", "smtp://mail.example.com:abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := mail.NewSMTP(tc.url, nil); err == nil {
				t.Errorf("NewSMTP(%q) accepted", tc.url)
			}
		})
	}
}
