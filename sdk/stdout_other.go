//go:build !linux

package sdk

// guardStdout is a no-op outside Linux: go-plugin still redirects os.Stdout
// after the handshake, but raw writes to descriptor 1 are not caught.
func guardStdout() error { return nil }
