// Package netguard is Guichet's guard against server-side request forgery.
// Every outbound URL a plugin or the core fetches (ERP, webhooks, AI
// providers) goes through it: URLs are checked when an admin saves them
// (CheckURL) and again, on the resolved IP address, when a connection is
// dialled (NewClient), so DNS tricks cannot reach an address the check
// refused.
//
// Refused: loopback, private, link-local (cloud metadata included),
// unspecified, multicast, broadcast, shared (CGNAT), reserved and
// documentation ranges, in every spelling (IPv4-mapped, IPv4-compatible and
// NAT64/6to4 IPv6, decimal, octal and hex IPv4). The only exception is an
// explicit admin allowlist of CIDR prefixes. Redirects are never followed.
//
// It imports only the standard library; it must not import core/ or the rest
// of sdk/, so both can use it.
package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ErrBlocked is wrapped by every refusal, so callers can tell a guard
// refusal from a network failure with errors.Is.
var ErrBlocked = errors.New("netguard: destination not allowed")

// blockedV4 are IPv4 ranges refused beyond what netip's predicates cover.
var blockedV4 = mustPrefixes(
	"0.0.0.0/8",          // "this network"; 0.0.0.0 reaches localhost on Linux
	"100.64.0.0/10",      // shared address space (carrier-grade NAT)
	"192.0.0.0/24",       // IETF protocol assignments
	"192.0.2.0/24",       // documentation TEST-NET-1
	"198.18.0.0/15",      // benchmarking
	"198.51.100.0/24",    // documentation TEST-NET-2
	"203.0.113.0/24",     // documentation TEST-NET-3
	"240.0.0.0/4",        // reserved, includes 255.255.255.255
	"169.254.169.254/32", // cloud metadata (also link-local, listed for clarity)
)

// blockedV6 are IPv6 ranges refused beyond netip's predicates.
var blockedV6 = mustPrefixes(
	"::/96",         // IPv4-compatible (deprecated), includes :: and ::1
	"100::/64",      // discard-only
	"2001::/32",     // Teredo, tunnels to arbitrary IPv4
	"2001:db8::/32", // documentation
	"fec0::/10",     // deprecated site-local
)

// Hostnames refused by name, before any DNS lookup.
var blockedNames = []string{"localhost", "metadata.google.internal", "metadata", "instance-data"}

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Policy decides which destinations may be reached. The zero Policy refuses
// every non-public address.
type Policy struct {
	// Allow lists prefixes an admin explicitly opened (an ERP on the local
	// network). Addresses inside them are allowed even if private.
	Allow []netip.Prefix
}

// ParseAllowlist parses CIDR prefixes ("192.168.10.0/24") or single
// addresses ("10.0.0.5", taken as /32 or /128), separated by commas, spaces
// or newlines. Prefixes wider than /8 (IPv4) or /16 (IPv6) are refused: an
// allowlist that opens everything is a mistake, not a policy.
func ParseAllowlist(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\t' || r == '\r'
	}) {
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return nil, fmt.Errorf("netguard: %q is not a CIDR prefix or an IP address", item)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		p = netip.PrefixFrom(p.Addr().Unmap(), unmappedBits(p)).Masked()
		if (p.Addr().Is4() && p.Bits() < 8) || (p.Addr().Is6() && p.Bits() < 16) {
			return nil, fmt.Errorf("netguard: %q is too wide for an allowlist", item)
		}
		out = append(out, p)
	}
	return out, nil
}

func unmappedBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		return max(p.Bits()-96, 0)
	}
	return p.Bits()
}

// CheckAddr reports whether ip may be dialled under the policy.
func (p Policy) CheckAddr(ip netip.Addr) error {
	ip = ip.Unmap().WithZone("")
	for _, a := range p.Allow {
		if a.Contains(ip) {
			return nil
		}
	}
	if why := blockedReason(ip); why != "" {
		return fmt.Errorf("%w: %s is %s", ErrBlocked, ip, why)
	}
	return nil
}

func blockedReason(ip netip.Addr) string {
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast():
		return "link-local (cloud metadata lives here)"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	}
	ranges := blockedV6
	if ip.Is4() {
		ranges = blockedV4
	}
	for _, r := range ranges {
		if r.Contains(ip) {
			return "in reserved range " + r.String()
		}
	}
	if ip.Is6() {
		if v4, ok := embeddedV4(ip); ok {
			if why := blockedReason(v4); why != "" {
				return "an IPv6 wrapper of " + v4.String() + ", " + why
			}
		}
	}
	return ""
}

// embeddedV4 extracts the IPv4 address carried by NAT64 (64:ff9b::/96) and
// 6to4 (2002::/16) addresses, which route to that IPv4 address.
func embeddedV4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	if netip.MustParsePrefix("64:ff9b::/96").Contains(ip) {
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	}
	if netip.MustParsePrefix("2002::/16").Contains(ip) {
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// CheckURL validates a URL before it is saved or used: http or https, a
// host, no credentials, and a host that is not a refused name or a refused
// IP address in any spelling. Host names are not resolved here; the dialer
// of NewClient checks the resolved address on every connection.
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: not a URL", ErrBlocked)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q (only http and https)", ErrBlocked, u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("%w: credentials in the URL", ErrBlocked)
	}
	host := u.Hostname()
	if host == "" {
		return fmt.Errorf("%w: no host", ErrBlocked)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("%w: port %q", ErrBlocked, port)
		}
	}
	return p.checkHost(host)
}

func (p Policy) checkHost(host string) error {
	if strings.Contains(host, "%") {
		return fmt.Errorf("%w: zoned address %q", ErrBlocked, host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return p.CheckAddr(ip)
	}
	if ip, ok := parseLegacyIPv4(host); ok {
		return p.CheckAddr(ip)
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	for _, b := range blockedNames {
		if name == b || strings.HasSuffix(name, "."+b) {
			return fmt.Errorf("%w: host name %q", ErrBlocked, host)
		}
	}
	if looksNumeric(name) {
		// Something like "1.2.3.4.5" or "0x1g": not an address we can read,
		// and resolvers disagree on such names. Refuse rather than guess.
		return fmt.Errorf("%w: ambiguous numeric host %q", ErrBlocked, host)
	}
	return nil
}

// parseLegacyIPv4 reads the inet_aton spellings that C resolvers accept and
// net/netip does not: 1 to 4 dot-separated parts, each decimal, octal
// (leading 0) or hex (0x), the last part filling the remaining bytes.
// "2130706433", "0x7f.1", "0177.0.0.1" and "127.1" all mean 127.0.0.1.
func parseLegacyIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, part := range parts {
		v, ok := parseCPart(part)
		if !ok {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var out uint64
	for i, v := range vals[:len(vals)-1] {
		if v > 255 {
			return netip.Addr{}, false
		}
		out |= v << (24 - 8*uint(i))
	}
	last := vals[len(vals)-1]
	if last >= 1<<(8*(5-uint(len(vals)))) {
		return netip.Addr{}, false
	}
	out |= last
	return netip.AddrFrom4([4]byte{byte(out >> 24), byte(out >> 16), byte(out >> 8), byte(out)}), true
}

func parseCPart(s string) (uint64, bool) {
	base := 10
	switch {
	case s == "":
		return 0, false
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
		if s == "" {
			return 0, true // "0x" alone is 0 for inet_aton
		}
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	v, err := strconv.ParseUint(s, base, 32)
	return v, err == nil
}

// looksNumeric reports whether every label is made of digits or a hex
// spelling, i.e. the name could be read as a number by some resolver.
func looksNumeric(name string) bool {
	for _, label := range strings.Split(name, ".") {
		l := strings.TrimPrefix(label, "0x")
		if label == "" || strings.Trim(l, "0123456789abcdef") != "" {
			return false
		}
		if l == label && strings.Trim(label, "0123456789") != "" {
			return false // plain letters such as "cafe" are a real name
		}
	}
	return true
}
