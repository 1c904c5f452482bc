package custauth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// seal encrypts a code for the outbox with AES-GCM under a server secret, so
// the only readable copy of a code is the mail itself.
func (s *Service) seal(ctx context.Context, code string) (string, error) {
	aead, err := s.aead(ctx)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(code), nil)), nil
}

// Unseal opens a code sealed by RequestCode; the mailer calls it.
func (s *Service) Unseal(ctx context.Context, sealed string) (string, error) {
	aead, err := s.aead(ctx)
	if err != nil {
		return "", err
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", fmt.Errorf("custauth: sealed code is malformed")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("custauth: cannot open sealed code: %w", err)
	}
	return string(plain), nil
}

func (s *Service) aead(ctx context.Context) (cipher.AEAD, error) {
	key, err := s.keys.Secret(ctx, "custauth_seal")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key[:32])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
