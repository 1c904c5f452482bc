package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	cases := []struct {
		name    string
		url     string
		allowed bool
	}{
		{"public https", "https://erp.example.com/api/index.php", true},
		{"public IPv4 literal", "http://93.184.216.34/", true},
		{"public IPv6 literal", "http://[2606:2800:220:1:248:1893:25c8:1946]/", true},
		{"name with hex-looking label", "https://cafe.example/", true},
		{"loopback", "http://127.0.0.1/", false},
		{"loopback other", "http://127.45.6.7:8080/", false},
		{"localhost name", "http://localhost:8080/", false},
		{"localhost subdomain", "http://api.localhost/", false},
		{"localhost trailing dot", "http://LOCALHOST./", false},
		{"decimal IPv4", "http://2130706433/", false},
		{"hex IPv4", "http://0x7f000001/", false},
		{"octal IPv4", "http://0177.0.0.1/", false},
		{"short IPv4", "http://127.1/", false},
		{"mixed hex dotted", "http://0x7f.0.0.1/", false},
		{"private 10", "http://10.1.2.3/", false},
		{"private 172.16", "http://172.20.0.1/", false},
		{"private 192.168", "https://192.168.1.10/", false},
		{"octal private", "http://012.0.0.1/", false},
		{"metadata", "http://169.254.169.254/latest/meta-data/", false},
		{"metadata decimal", "http://2852039166/", false},
		{"metadata name", "http://metadata.google.internal/computeMetadata/v1/", false},
		{"unspecified", "http://0.0.0.0:9000/", false},
		{"zero network", "http://0/", false},
		{"cgnat", "http://100.64.1.1/", false},
		{"broadcast", "http://255.255.255.255/", false},
		{"ipv6 loopback", "http://[::1]/", false},
		{"ipv6 unspecified", "http://[::]/", false},
		{"ipv4-mapped loopback", "http://[::ffff:127.0.0.1]/", false},
		{"ipv4-mapped hex", "http://[::ffff:7f00:1]/", false},
		{"ipv4-mapped metadata", "http://[::ffff:169.254.169.254]/", false},
		{"ipv4-compatible loopback", "http://[::127.0.0.1]/", false},
		{"nat64 private", "http://[64:ff9b::10.0.0.1]/", false},
		{"6to4 loopback", "http://[2002:7f00:1::]/", false},
		{"ipv6 unique local", "http://[fd00:ec2::254]/", false},
		{"ipv6 link-local", "http://[fe80::1]/", false},
		{"ipv6 zone", "http://[fe80::1%25eth0]/", false},
		{"ambiguous numeric", "http://1.2.3.4.5/", false},
		{"bad octal", "http://08.0.0.1/", false},
		{"ftp scheme", "ftp://erp.example.com/", false},
		{"file scheme", "file:///etc/passwd", false},
		{"gopher scheme", "gopher://erp.example.com/", false},
		{"credentials", "https://user:pw@erp.example.com/", false},
		{"no host", "https:///path", false},
		{"bad port", "http://erp.example.com:99999/", false},
	}
	var p Policy
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := p.CheckURL(tc.url)
			if tc.allowed && err != nil {
				t.Fatalf("CheckURL(%q) = %v, want allowed", tc.url, err)
			}
			if !tc.allowed && !errors.Is(err, ErrBlocked) {
				t.Fatalf("CheckURL(%q) = %v, want ErrBlocked", tc.url, err)
			}
		})
	}
}

func TestAllowlist(t *testing.T) {
	allow, err := ParseAllowlist("192.168.10.0/24, 10.0.0.5\n::ffff:172.16.0.0/108")
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Allow: allow}
	cases := []struct {
		name    string
		url     string
		allowed bool
	}{
		{"inside allowed prefix", "http://192.168.10.20/api", true},
		{"allowed single address", "http://10.0.0.5/", true},
		{"mapped prefix unmapped", "http://172.16.3.4/", true},
		{"neighbour prefix still refused", "http://192.168.11.1/", false},
		{"other private refused", "http://10.0.0.6/", false},
		{"loopback still refused", "http://127.0.0.1/", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := p.CheckURL(tc.url)
			if (err == nil) != tc.allowed {
				t.Fatalf("CheckURL(%q) = %v, allowed want %v", tc.url, err, tc.allowed)
			}
		})
	}
}

func TestParseAllowlistErrors(t *testing.T) {
	cases := []struct{ name, in string }{
		{"everything v4", "0.0.0.0/0"},
		{"too wide v4", "10.0.0.0/7"},
		{"everything v6", "::/0"},
		{"garbage", "erp.local"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseAllowlist(tc.in); err == nil {
				t.Fatalf("ParseAllowlist(%q) accepted", tc.in)
			}
		})
	}
}

func TestParseLegacyIPv4(t *testing.T) {
	cases := []struct {
		in   string
		want string
	}{
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"10.0x10.1", "10.16.0.1"},
		{"4294967296", ""},
		{"256.1.1.1", ""},
		{"1.2.3.4.5", ""},
		{"09", ""},
		{"example", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			ip, ok := parseLegacyIPv4(tc.in)
			got := ""
			if ok {
				got = ip.String()
			}
			if got != tc.want {
				t.Fatalf("parseLegacyIPv4(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestClientDialTimeCheck proves the dial-time check works on the resolved
// address: "localhost" goes through the resolver and is refused at dial even
// when URL validation is bypassed.
func TestClientDialTimeCheck(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "secret internal page")
	}))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port

	t.Run("dialer refuses resolved loopback", func(t *testing.T) {
		_, err := Policy{}.Dialer().DialContext(context.Background(), "tcp", fmt.Sprintf("localhost:%d", port))
		if !errors.Is(err, ErrBlocked) {
			t.Fatalf("dial localhost = %v, want ErrBlocked", err)
		}
	})
	t.Run("client refuses loopback URL", func(t *testing.T) {
		_, err := Policy{}.NewClient().Get(srv.URL)
		if !errors.Is(err, ErrBlocked) {
			t.Fatalf("GET %s = %v, want ErrBlocked", srv.URL, err)
		}
	})
	t.Run("allowlist opens it", func(t *testing.T) {
		p := Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		status, _, body, err := Do(context.Background(), p.NewClient(), req, 0)
		if err != nil || status != 200 || string(body) != "secret internal page" {
			t.Fatalf("allowed GET = %d %q %v", status, body, err)
		}
	})
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			return
		}
		t.Errorf("redirect followed to %s", r.URL)
	}))
	defer srv.Close()
	p := Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}
	resp, err := p.NewClient().Get(srv.URL + "/start")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status = %d, want the 302 itself", resp.StatusCode)
	}
}

func TestReadBodyCap(t *testing.T) {
	cases := []struct {
		name    string
		size    int
		limit   int64
		wantErr bool
	}{
		{"under cap", 10, 16, false},
		{"exactly cap", 16, 16, false},
		{"over cap", 17, 16, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadBody(strings.NewReader(strings.Repeat("a", tc.size)), tc.limit)
			if tc.wantErr != errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("ReadBody = %d bytes, %v", len(b), err)
			}
		})
	}
}

// FuzzCheckURL checks that an accepted URL never has a host that Go or a C
// resolver would read as a refused IP address.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1/", "http://0x7f.1/", "https://example.com/", "http://[::ffff:10.0.0.1]/", "http://2130706433/"} {
		f.Add(s)
	}
	var p Policy
	f.Fuzz(func(t *testing.T, raw string) {
		if p.CheckURL(raw) != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("accepted unparseable %q", raw)
		}
		host := u.Hostname()
		if ip, err := netip.ParseAddr(host); err == nil && blockedReason(ip.Unmap()) != "" {
			t.Fatalf("accepted %q: host %s is blocked", raw, ip)
		}
		if ip, ok := parseLegacyIPv4(host); ok && blockedReason(ip) != "" {
			t.Fatalf("accepted %q: legacy host %s is blocked", raw, ip)
		}
	})
}
