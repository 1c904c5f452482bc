package main

import (
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Types of personal data, as they appear in placeholders.
const (
	TypeEmail  = "EMAIL"
	TypePhone  = "PHONE"
	TypeIBAN   = "IBAN"
	TypeCard   = "CARD"
	TypeIP     = "IP"
	TypeURL    = "URL"
	TypeNIR    = "NIR"
	TypeSIREN  = "SIREN"
	TypeSIRET  = "SIRET"
	TypeVAT    = "VAT"
	TypePerson = "PERSON"
)

// allTypes in priority order: when two findings overlap, the earlier type
// wins (a URL holding an email is one URL; a SIRET holds a SIREN).
var allTypes = []string{TypePerson, TypeURL, TypeEmail, TypeIBAN, TypeNIR, TypeVAT, TypeSIRET, TypeCard, TypeSIREN, TypeIP, TypePhone}

// finding is one piece of personal data found in a text, as byte offsets.
type finding struct {
	typ        string
	start, end int
}

// person is a known person's name and addresses, from the host.
type person struct {
	name   string
	emails []string
	phones []string
}

// scan finds personal data of the enabled types in text. Every recognizer
// validates its candidates (checksum, registry, parser); a regular
// expression alone never decides.
func scan(text string, enabled map[string]bool, people []person, region string) []finding {
	var all []finding
	add := func(typ string, fs []finding) {
		if enabled[typ] {
			all = append(all, fs...)
		}
	}
	add(TypePerson, findPeople(text, people))
	add(TypeEmail, findKnown(text, TypeEmail, people))
	add(TypePhone, findKnown(text, TypePhone, people))
	add(TypeURL, findURLs(text))
	add(TypeEmail, findEmails(text))
	add(TypeIBAN, findIBANs(text))
	add(TypeNIR, findNIRs(text))
	add(TypeVAT, findVATs(text))
	add(TypeSIRET, findSIRETs(text))
	add(TypeCard, findCards(text))
	add(TypeSIREN, findSIRENs(text))
	add(TypePhone, findPhones(text, region))
	add(TypeIP, findIPs(text))
	return resolveOverlaps(all)
}

func priority(typ string) int {
	for i, t := range allTypes {
		if t == typ {
			return i
		}
	}
	return len(allTypes)
}

// resolveOverlaps keeps, among overlapping findings, the one of the highest
// priority type, then the longest; the result is sorted by position.
func resolveOverlaps(fs []finding) []finding {
	sort.SliceStable(fs, func(i, j int) bool {
		pi, pj := priority(fs[i].typ), priority(fs[j].typ)
		if pi != pj {
			return pi < pj
		}
		return fs[i].end-fs[i].start > fs[j].end-fs[j].start
	})
	var kept []finding
	for _, f := range fs {
		overlaps := false
		for _, k := range kept {
			if f.start < k.end && k.start < f.end {
				overlaps = true
				break
			}
		}
		if !overlaps {
			kept = append(kept, f)
		}
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

// matches returns regexp matches of group 1 (or 0) whose value passes ok.
func matches(re *regexp.Regexp, text, typ string, ok func(string) bool) []finding {
	var out []finding
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[0], m[1]
		if len(m) >= 4 && m[2] >= 0 {
			s, e = m[2], m[3]
		}
		if ok(text[s:e]) {
			out = append(out, finding{typ, s, e})
		}
	}
	return out
}

// --- known people ---

// findPeople finds the known people's full names (any case) and their
// name parts of three letters or more written with a capital, as words.
func findPeople(text string, people []person) []finding {
	var out []finding
	for _, p := range people {
		name := strings.Join(strings.Fields(p.name), " ")
		if name == "" {
			continue
		}
		out = append(out, findWord(text, name, true)...)
		for _, part := range strings.Fields(name) {
			if utf8.RuneCountInString(part) >= 3 {
				out = append(out, findWord(text, part, false)...)
			}
		}
	}
	for i := range out {
		out[i].typ = TypePerson
	}
	return out
}

// findKnown finds the known people's emails or phones written exactly (for
// emails, in any case), even where no pattern would spot them.
func findKnown(text, typ string, people []person) []finding {
	var out []finding
	for _, p := range people {
		values := p.emails
		if typ == TypePhone {
			values = p.phones
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" {
				for _, f := range findWord(text, v, true) {
					out = append(out, finding{typ, f.start, f.end})
				}
			}
		}
	}
	return out
}

// findWord finds needle in text at word boundaries; foldCase ignores case,
// otherwise the match must start with a capital letter.
func findWord(text, needle string, foldCase bool) []finding {
	pattern := regexp.QuoteMeta(needle)
	pattern = strings.ReplaceAll(pattern, " ", `\s+`)
	if foldCase {
		pattern = "(?i)" + pattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	var out []finding
	for _, m := range re.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		if !wordBoundary(text, s, e) {
			continue
		}
		if !foldCase {
			r, _ := utf8.DecodeRuneInString(text[s:])
			if !unicode.IsUpper(r) {
				continue
			}
		}
		out = append(out, finding{start: s, end: e})
	}
	return out
}

func wordBoundary(text string, s, e int) bool {
	if s > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:s])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if e < len(text) {
		r, _ := utf8.DecodeRuneInString(text[e:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// --- emails and URLs ---

var emailRe = regexp.MustCompile(`(?i)\b[a-z0-9._%+'-]{1,64}@(?:[a-z0-9-]{1,63}\.)+[a-z]{2,24}\b`)

func findEmails(text string) []finding {
	return matches(emailRe, text, TypeEmail, func(v string) bool {
		local := v[:strings.IndexByte(v, '@')]
		return !strings.HasPrefix(local, ".") && !strings.HasSuffix(local, ".") && !strings.Contains(local, "..")
	})
}

var urlRe = regexp.MustCompile(`(?i)\b(?:https?|ftps?|sftp|ssh|smb|git|wss?)://[^\s<>"'` + "`" + `]+`)

// secretParams are query parameter names that carry credentials or
// tokens; a URL is personal data when it carries one (or a password, or a
// long random path segment).
var secretParams = regexp.MustCompile(`(?i)^(token|access_token|refresh_token|id_token|auth|key|api_?key|apikey|secret|password|passwd|pwd|pass|sig|signature|session|sessionid|sid|code|otp|jwt|hash|ticket|t|k)$`)

var tokenSegment = regexp.MustCompile(`^[A-Za-z0-9_\-]{24,}$`)

func findURLs(text string) []finding {
	var out []finding
	for _, m := range urlRe.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		for e > s && strings.ContainsRune(".,;:!?)]}»", rune(text[e-1])) {
			e--
		}
		if urlCarriesSecret(text[s:e]) {
			out = append(out, finding{TypeURL, s, e})
		}
	}
	return out
}

func urlCarriesSecret(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if _, hasPw := u.User.Password(); hasPw || (u.User != nil && u.User.Username() != "") {
		return true
	}
	for k, vs := range u.Query() {
		if secretParams.MatchString(k) && len(vs) > 0 && len(vs[0]) >= 6 {
			return true
		}
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if tokenSegment.MatchString(seg) && hasLetterAndDigit(seg) {
			return true
		}
	}
	return false
}

func hasLetterAndDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0 && strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// --- bank and identity numbers ---

var ibanRe = regexp.MustCompile(`(?i)\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b`)

func findIBANs(text string) []finding {
	var out []finding
	for _, m := range ibanRe.FindAllStringIndex(text, -1) {
		// The pattern may run into the next word; shrink to the longest
		// valid prefix at a group boundary.
		s, e := m[0], m[1]
		for e > s+15 {
			if validIBAN(text[s:e]) {
				out = append(out, finding{TypeIBAN, s, e})
				break
			}
			e = strings.LastIndexByte(text[s:e], ' ')
			if e < 0 {
				break
			}
			e += s
		}
	}
	return out
}

var cardRe = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)

func findCards(text string) []finding {
	return matches(cardRe, text, TypeCard, func(v string) bool { return validCard(digitsOnly(v)) })
}

var nirRe = regexp.MustCompile(`(?i)\b[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}\b`)

func findNIRs(text string) []finding {
	return matches(nirRe, text, TypeNIR, validNIR)
}

var vatRe = regexp.MustCompile(`(?i)\b(?:FR ?[0-9A-Z]{2} ?\d{3} ?\d{3} ?\d{3}|BE ?[01]\d{3}[ .]?\d{3}[ .]?\d{3}|LU ?\d{8}|IT ?\d{11}|DE ?\d{9}|ES ?[0-9A-Z]\d{7}[0-9A-Z]|NL ?\d{9}B\d{2}|AT ?U\d{8})\b`)

func findVATs(text string) []finding {
	return matches(vatRe, text, TypeVAT, validVAT)
}

var (
	siretRe      = regexp.MustCompile(`\b\d{3} ?\d{3} ?\d{3} ?\d{5}\b`)
	sirenRe      = regexp.MustCompile(`\b\d{3} ?\d{3} ?\d{3}\b`)
	companyWords = regexp.MustCompile(`(?i)(siren|siret|rcs|immatricul|n° ?d'entreprise|company (number|id)|registration)[^\n]{0,25}$`)
)

// findSIRETs and findSIRENs accept Luhn-valid numbers written in their
// usual groups (123 456 789 [00012]) or announced by a word such as SIRET or
// RCS just before: one random 9-digit number in ten passes Luhn, so digits
// alone would flag order numbers.
func findSIRETs(text string) []finding {
	return companyNumbers(text, siretRe, TypeSIRET, 14)
}

func findSIRENs(text string) []finding {
	return companyNumbers(text, sirenRe, TypeSIREN, 9)
}

func companyNumbers(text string, re *regexp.Regexp, typ string, n int) []finding {
	var out []finding
	for _, m := range re.FindAllStringIndex(text, -1) {
		v := text[m[0]:m[1]]
		d := digitsOnly(v)
		valid := luhn(d) || (n == 14 && strings.HasPrefix(d, "356000000") && digitSum(d)%5 == 0) // La Poste
		if len(d) != n || !valid {
			continue
		}
		grouped := strings.Count(v, " ") == len(v)-len(d) && len(v)-len(d) >= 2
		if grouped || companyWords.MatchString(text[max(0, m[0]-40):m[0]]) {
			out = append(out, finding{typ, m[0], m[1]})
		}
	}
	return out
}

func digitSum(d string) int {
	s := 0
	for i := 0; i < len(d); i++ {
		s += int(d[i] - '0')
	}
	return s
}

// --- phones ---

var (
	phoneRe = regexp.MustCompile(`(?:\+|\b00)?\(?\d[\d .\-/()]{6,20}\d\b`)
	dateRe  = regexp.MustCompile(`^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$`)
	// phoneRegions are the regions Guichet reads national numbers for.
	phoneRegions = []string{"FR", "BE", "CH", "LU", "DE", "IT", "ES", "GB", "US"}
	// trunkZero regions write national numbers with a leading 0.
	trunkZero = map[string]bool{"FR": true, "BE": true, "CH": true, "DE": true, "GB": true, "IT": true}
)

// findPhones reads candidates with libphonenumber's rules (nyaruka/
// phonenumbers). International numbers (+ or 00) must be valid for their
// country. National numbers must either start with the trunk 0 and be valid
// in a region that writes one (default region first), or be written in at
// least three groups of 2 to 4 digits and be valid in the default region or
// in US, ES, IT or LU. A bare run of digits without a 0 is more often an
// order or customer number than a phone, so it is not taken.
func findPhones(text, region string) []finding {
	var out []finding
	for _, m := range phoneRe.FindAllStringIndex(text, -1) {
		s, e := m[0], m[1]
		v := strings.TrimRight(text[s:e], " .-/(")
		e = s + len(v)
		if strings.HasPrefix(v, "(") && !strings.Contains(v, ")") {
			s++
			v = v[1:]
		}
		if gluedToIdentifier(text, s) {
			continue
		}
		if validPhone(v, region) {
			out = append(out, finding{TypePhone, s, e})
		}
	}
	return out
}

// gluedToIdentifier reports whether the candidate at s continues a code
// such as "FA-2024-00871" or "SN 4B7-221-0093".
func gluedToIdentifier(text string, s int) bool {
	if s == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:s])
	if unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '_' {
		return true
	}
	if prev == '-' || prev == '/' || prev == '#' {
		return true
	}
	return false
}

var groupSep = regexp.MustCompile(`[ .\-/()]+`)

func validPhone(v, region string) bool {
	d := digitsOnly(v)
	if len(d) < 8 || len(d) > 15 || dateRe.MatchString(v) {
		return false
	}
	if strings.HasPrefix(v, "+") || strings.HasPrefix(v, "00") {
		n, err := phonenumbers.Parse("+"+strings.TrimPrefix(d, "00"), "ZZ")
		return err == nil && phonenumbers.IsValidNumber(n)
	}
	if d[0] == '0' {
		if trunkZero[region] && parsesIn(v, region) {
			return true
		}
		for _, r := range phoneRegions {
			if trunkZero[r] && parsesIn(v, r) {
				return true
			}
		}
		return false
	}
	if !wellGrouped(v) {
		return false
	}
	for _, r := range append([]string{region}, "US", "ES", "IT", "LU") {
		if parsesIn(v, r) {
			return true
		}
	}
	return false
}

// wellGrouped reports whether v is written in at least three groups of 2 to
// 4 digits, as people write phone numbers ("415 736 5000", "(212) 736-5000").
func wellGrouped(v string) bool {
	groups := groupSep.Split(strings.Trim(v, " ()"), -1)
	if len(groups) < 3 {
		return false
	}
	for _, g := range groups {
		if len(g) < 2 || len(g) > 4 || digitsOnly(g) != g {
			return false
		}
	}
	return true
}

func parsesIn(v, region string) bool {
	n, err := phonenumbers.Parse(v, region)
	return err == nil && phonenumbers.IsValidNumberForRegion(n, region)
}

// --- IP addresses ---

var (
	ipv4Re       = regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}\b`)
	ipv6Re       = regexp.MustCompile(`(?i)(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%[0-9a-z]+)?`)
	versionWords = regexp.MustCompile(`(?i)\b(version|v|build|release|firmware|micrologiciel|logiciel)\b[^.\n\d]{0,20}$`)
)

func findIPs(text string) []finding {
	var out []finding
	for _, m := range ipv4Re.FindAllStringIndex(text, -1) {
		if m[1] < len(text) && text[m[1]] == '.' && m[1]+1 < len(text) && text[m[1]+1] >= '0' && text[m[1]+1] <= '9' {
			continue // a fifth dotted part: a version such as 1.2.3.4.5
		}
		a, err := netip.ParseAddr(text[m[0]:m[1]])
		if err != nil || isNetmask(a) || versionWords.MatchString(text[max(0, m[0]-30):m[0]]) {
			continue
		}
		out = append(out, finding{TypeIP, m[0], m[1]})
	}
	for _, m := range ipv6Re.FindAllStringIndex(text, -1) {
		v := text[m[0]:m[1]]
		if strings.Count(v, ":") < 2 || len(strings.Trim(v, ":")) < 3 {
			continue
		}
		if a, err := netip.ParseAddr(v); err == nil && a.Is6() {
			out = append(out, finding{TypeIP, m[0], m[1]})
		}
	}
	return out
}

// isNetmask reports whether a is a contiguous network mask (255.255.255.0)
// or 0.0.0.0: configuration values, not anybody's address.
func isNetmask(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	return v == 0 || (v>>31 == 1 && (^v)&(^v+1) == 0)
}
