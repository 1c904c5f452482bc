package main

import "testing"

func TestChecksums(t *testing.T) {
	cases := []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"luhn valid", luhn, "4111111111111111", true},
		{"luhn invalid", luhn, "4111111111111112", false},
		{"iban FR valid", validIBAN, "FR76 3000 6000 0112 3456 7890 189", true},
		{"iban FR bad key", validIBAN, "FR76 3000 6000 0112 3456 7890 188", false},
		{"iban wrong length", validIBAN, "FR76 3000 6000 0112 3456 7890 18", false},
		{"iban unknown country", validIBAN, "QQ76300060000112345678901", false},
		{"card mastercard 2-series", func(s string) bool { return validCard(digitsOnly(s)) }, "2223 0031 2200 3222", true},
		{"card visa 19 digits", func(s string) bool { return validCard(digitsOnly(s)) }, "4000000000000000006", true},
		{"card amex wrong length", func(s string) bool { return validCard(digitsOnly(s)) }, "3714496353984310", false},
		{"card unknown issuer", func(s string) bool { return validCard(digitsOnly(s)) }, "1234567812345670", false},
		{"nir valid", validNIR, "185057800608491", true},
		{"nir corsica", validNIR, "186052A01234530", true},
		{"nir bad key", validNIR, "185057800608492", false},
		{"nir bad month", validNIR, "185157800608491", false},
		{"vat FR valid", validVAT, "FR44732829320", true},
		{"vat FR bad key", validVAT, "FR45732829320", false},
		{"vat BE valid", validVAT, "BE0403627193", true},
		{"vat LU valid", validVAT, "LU15027442", true},
		{"vat DE valid", validVAT, "DE136458787", true},
		{"vat DE bad", validVAT, "DE136458788", false},
		{"vat IT valid", validVAT, "IT00743961005", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.check(tc.in); got != tc.want {
				t.Fatalf("check(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestModes(t *testing.T) {
	text := "Écrire à a.b@example.com, tél. 06 12 34 56 78, commande 4521."
	cases := []struct {
		name string
		mode string
		want string
	}{
		{"placeholder", "placeholder", "Écrire à [EMAIL_1], tél. [PHONE_1], commande 4521."},
		{"mask", "mask", "Écrire à [EMAIL], tél. [PHONE], commande 4521."},
		{"digits", "digits", "Écrire à [EMAIL], tél. XX XX XX XX XX, commande XXXX."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := scan(text, typeSet(allTypes), nil, "FR")
			if tc.mode == "digits" {
				fs = scan(text, typeSet([]string{TypeEmail, TypePerson, TypeURL}), nil, "FR")
			}
			got, _ := replace(text, fs, modes[tc.mode], nil, "FR")
			if tc.mode == "digits" {
				got = xDigits(got)
			}
			if got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func FuzzScan(f *testing.F) {
	f.Add("Appelez le 06 12 34 56 78 ou écrivez à x@y.fr, IBAN FR7630006000011234567890189")
	f.Add("[EMAIL_1] 192.168.0.1 ::1 https://u:p@h/")
	f.Fuzz(func(t *testing.T, text string) {
		prev := -1
		for _, fd := range scan(text, typeSet(allTypes), []person{{name: "Jo Li"}}, "FR") {
			if fd.start < prev || fd.start >= fd.end || fd.end > len(text) {
				t.Fatalf("bad finding %+v in %q", fd, text)
			}
			prev = fd.end
		}
	})
}
