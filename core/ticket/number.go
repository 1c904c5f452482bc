package ticket

import (
	"crypto/rand"
	"strings"
)

// crockford is Crockford's base-32 alphabet: no I, L, O or U, so a number
// read over the phone or copied by hand cannot be mistaken.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NumberLength is the length of a public ticket number.
const NumberLength = 5

func newNumber() string {
	b := make([]byte, NumberLength)
	rand.Read(b)
	for i := range b {
		b[i] = crockford[int(b[i])%32]
	}
	return string(b)
}

// NormalizeNumber reads a number as people type it: any case, with the
// look-alikes O→0 and I, L→1, and an optional leading '#'. It returns "" when
// s cannot be a ticket number.
func NormalizeNumber(s string) string {
	s = strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s)
	if len(s) != NumberLength {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune(crockford, r) {
			return ""
		}
	}
	return s
}
