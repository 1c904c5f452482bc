package settings

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// Secret returns the server secret called name, generating 32 random bytes
// on first use. Every node reads the same value from the database, so links
// signed by one node verify on another. Concurrent first uses agree: the
// first insert wins and everyone reads it back.
func (s *Service) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret." + name
	var enc string
	found, err := s.Get(ctx, key, &enc)
	if err != nil {
		return nil, err
	}
	if !found {
		b := make([]byte, 32)
		rand.Read(b)
		if err := putRawIfAbsent(ctx, s.db, key, fmt.Sprintf("%q", base64.StdEncoding.EncodeToString(b))); err != nil {
			return nil, err
		}
		if _, err := s.Get(ctx, key, &enc); err != nil {
			return nil, err
		}
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("settings: secret %s is damaged", name)
	}
	return b, nil
}
