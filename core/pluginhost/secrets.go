package pluginhost

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SecretKeyFile is the name of the key file created in the data folder when
// GUICHET_SECRET_KEY is not set.
const SecretKeyFile = "secret.key"

// LoadSecretKey returns the 32-byte key that encrypts plugin secrets. envKey
// (GUICHET_SECRET_KEY, base64) wins; when it is empty the key is read from
// dataDir/secret.key, created with mode 0600 on first use. Several nodes
// sharing one database must share GUICHET_SECRET_KEY, since a key file
// exists on one machine only.
func LoadSecretKey(envKey, dataDir string) ([]byte, error) {
	if envKey != "" {
		return decodeKey(envKey, "GUICHET_SECRET_KEY")
	}
	path := filepath.Join(dataDir, SecretKeyFile)
	raw, err := os.ReadFile(path)
	if err == nil {
		return decodeKey(string(raw), path)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("pluginhost: read secret key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("pluginhost: create data folder: %w", err)
	}
	// O_EXCL: two processes starting at once must not write two keys; the
	// loser reads the winner's.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadSecretKey("", dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: create secret key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("pluginhost: write secret key: %w", err)
	}
	return key, nil
}

func decodeKey(s, from string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("pluginhost: %s must hold 32 bytes in base64 (openssl rand -base64 32)", from)
	}
	return key, nil
}

// sealer encrypts setting secrets with AES-256-GCM. The additional data
// binds each ciphertext to its plugin and field, so a value copied into
// another row does not decrypt.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("pluginhost: secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(pluginID, field, value string) string {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := s.aead.Seal(nonce, nonce, []byte(value), []byte(pluginID+"/"+field))
	return base64.StdEncoding.EncodeToString(out)
}

func (s *sealer) open(pluginID, field, sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	n := s.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", fmt.Errorf("pluginhost: secret %s.%s is corrupt", pluginID, field)
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(pluginID+"/"+field))
	if err != nil {
		return "", fmt.Errorf("pluginhost: secret %s.%s does not decrypt (was GUICHET_SECRET_KEY changed?)", pluginID, field)
	}
	return string(plain), nil
}
