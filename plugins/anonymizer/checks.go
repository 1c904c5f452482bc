package main

import (
	"math/big"
	"strconv"
	"strings"
)

// digitsOnly keeps the ASCII digits of s.
func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// luhn reports whether a digit string passes the Luhn check (ISO/IEC 7812),
// used by payment cards, SIREN and SIRET.
func luhn(digits string) bool {
	if len(digits) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// ibanLengths is the IBAN length per country for the countries Guichet's
// users meet most (SEPA zone and neighbours), from the SWIFT IBAN registry.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
	"DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
	"HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
	"SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22, "MA": 28, "TN": 24, "SN": 28,
}

// validIBAN checks length per country and the ISO 13616 mod-97 check.
func validIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || ibanLengths[s[:2]] != len(s) {
		return false
	}
	return mod97(s[4:]+s[:4]) == 1
}

// mod97 computes the ISO 7064 mod-97 remainder of an alphanumeric string,
// letters counting as 10..35.
func mod97(s string) int {
	rem := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			rem = (rem*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			rem = (rem*100 + int(r-'A'+10)) % 97
		default:
			return -1
		}
	}
	return rem
}

// validCard checks a payment card number: Luhn, a length its network uses,
// and a known issuer prefix (Visa, Mastercard including the 2221-2720
// series, Amex, Discover, JCB, UnionPay, Maestro, CB cards are Visa/MC).
func validCard(digits string) bool {
	n := len(digits)
	if n < 13 || n > 19 || !luhn(digits) {
		return false
	}
	p2, _ := strconv.Atoi(digits[:2])
	p4, _ := strconv.Atoi(digits[:4])
	p6, _ := strconv.Atoi(digits[:6])
	switch {
	case digits[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case p4 == 6011, p2 == 65, p6/1000 >= 644 && p6/1000 <= 649:
		return n >= 16 && n <= 19
	case p4 >= 3528 && p4 <= 3589:
		return n >= 16 && n <= 19
	case p2 == 62:
		return n >= 16 && n <= 19
	case p2 == 50, p2 >= 56 && p2 <= 69:
		return n >= 12 && n <= 19 // Maestro
	}
	return false
}

// validNIR checks a French social security number (NIR): 13 characters
// (digits, with 2A/2B for Corsica in the department) and a 2-digit key
// equal to 97 - (number mod 97), Corsica's 2A and 2B counting as 19 and 18.
func validNIR(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) != 15 {
		return false
	}
	body, key := s[:13], s[13:]
	switch body[5:7] {
	case "2A":
		body = body[:5] + "19" + body[7:]
	case "2B":
		body = body[:5] + "18" + body[7:]
	}
	if digitsOnly(body) != body || digitsOnly(key) != key {
		return false
	}
	if !strings.ContainsRune("12378", rune(body[0])) {
		return false
	}
	month, _ := strconv.Atoi(body[3:5])
	if month < 1 || (month > 12 && month < 20) || (month > 42 && month < 50) {
		return false
	}
	n, ok := new(big.Int).SetString(body, 10)
	if !ok {
		return false
	}
	k, _ := strconv.Atoi(key)
	return int64(k) == 97-new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

// validVAT checks an EU VAT number with its country prefix. FR, BE, LU, IT
// and DE have their check digits verified; other EU countries are checked
// for shape only (recognised with their prefix and a context word).
func validVAT(s string) bool {
	s = strings.ToUpper(strings.NewReplacer(" ", "", ".", "", "-", "").Replace(s))
	if len(s) < 4 {
		return false
	}
	cc, num := s[:2], s[2:]
	switch cc {
	case "FR":
		return validFRVAT(num)
	case "BE":
		if len(num) != 10 || digitsOnly(num) != num || (num[0] != '0' && num[0] != '1') {
			return false
		}
		body, _ := strconv.Atoi(num[:8])
		key, _ := strconv.Atoi(num[8:])
		return 97-body%97 == key
	case "LU":
		if len(num) != 8 || digitsOnly(num) != num {
			return false
		}
		body, _ := strconv.Atoi(num[:6])
		key, _ := strconv.Atoi(num[6:])
		return body%89 == key
	case "IT":
		return len(num) == 11 && digitsOnly(num) == num && luhn(num)
	case "DE":
		return len(num) == 9 && digitsOnly(num) == num && num[0] != '0' && iso7064Mod1110(num)
	case "ES":
		return len(num) == 9
	case "NL":
		return len(num) == 12 && num[9] == 'B'
	case "AT":
		return len(num) == 9 && num[0] == 'U'
	}
	return false
}

// validFRVAT checks a French VAT number: 2 key characters then the SIREN,
// the numeric key being (12 + 3 * (SIREN mod 97)) mod 97.
func validFRVAT(num string) bool {
	if len(num) != 11 {
		return false
	}
	siren := num[2:]
	if digitsOnly(siren) != siren || !luhn(siren) {
		return false
	}
	key, err := strconv.Atoi(num[:2])
	if err != nil {
		return true // letter keys (new-style numbers) have no public formula
	}
	n, _ := strconv.Atoi(siren)
	return key == (12+3*(n%97))%97
}

// iso7064Mod1110 checks the German VAT check digit (ISO 7064 MOD 11,10).
func iso7064Mod1110(num string) bool {
	product := 10
	for i := 0; i < len(num)-1; i++ {
		sum := (int(num[i]-'0') + product) % 10
		if sum == 0 {
			sum = 10
		}
		product = (2 * sum) % 11
	}
	check := 11 - product
	if check == 10 {
		check = 0
	}
	return check == int(num[len(num)-1]-'0')
}
