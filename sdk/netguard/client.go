package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Timeouts of every guarded client, from security.md.
const (
	ConnectTimeout = 5 * time.Second
	TotalTimeout   = 15 * time.Second
)

// DefaultMaxBody is the default cap for ReadBody: 1 MiB.
const DefaultMaxBody = 1 << 20

// ErrBodyTooLarge is returned by ReadBody when a body exceeds the cap.
var ErrBodyTooLarge = errors.New("netguard: response body too large")

// Dialer returns a net.Dialer that refuses, after DNS resolution, any
// address the policy refuses. It is the check that DNS rebinding cannot
// dodge: it sees the IP address actually being connected to.
func (p Policy) Dialer() *net.Dialer {
	return &net.Dialer{
		Timeout: ConnectTimeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			if network != "tcp4" && network != "tcp6" {
				return fmt.Errorf("%w: network %s", ErrBlocked, network)
			}
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: dial address %q", ErrBlocked, address)
			}
			return p.CheckAddr(ap.Addr())
		},
	}
}

// NewClient returns an http.Client for outbound calls under the policy:
// every URL checked, every dialled address checked, no proxy from the
// environment (a proxy would dial on our behalf, unchecked), redirects
// returned to the caller instead of followed, connect 5 s and total 15 s.
func (p Policy) NewClient() *http.Client {
	dialer := p.Dialer()
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   ConnectTimeout,
		ResponseHeaderTimeout: TotalTimeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       60 * time.Second,
	}
	return &http.Client{
		Transport: &guardedTransport{policy: p, next: tr},
		Timeout:   TotalTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

type guardedTransport struct {
	policy Policy
	next   http.RoundTripper
}

func (t *guardedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.policy.CheckURL(req.URL.String()); err != nil {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// ReadBody reads at most limit bytes of r (DefaultMaxBody when limit <= 0)
// and returns ErrBodyTooLarge, not a truncated body, when there is more.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// Do sends req with the client and returns the status and the capped body;
// the response body is always closed.
func Do(ctx context.Context, c *http.Client, req *http.Request, limit int64) (int, http.Header, []byte, error) {
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := ReadBody(resp.Body, limit)
	return resp.StatusCode, resp.Header, body, err
}
