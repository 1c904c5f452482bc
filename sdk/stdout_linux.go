//go:build linux

package sdk

import (
	"os"

	"golang.org/x/sys/unix"
)

// guardStdout keeps a private copy of the real stdout for go-plugin's
// handshake line and points file descriptor 1 at stderr, so anything else
// that writes to stdout (a stray fmt.Println in an init, a C library, a
// logger created before Serve) lands in the host's log instead of
// corrupting the protocol.
func guardStdout() error {
	fd, err := unix.Dup(1)
	if err != nil {
		return err
	}
	if err := unix.Dup3(2, 1, 0); err != nil {
		_ = unix.Close(fd)
		return err
	}
	handshakeOut = os.NewFile(uintptr(fd), "/dev/stdout (handshake)")
	os.Stdout = handshakeOut
	return nil
}

// handshakeOut stays referenced for the life of the process: go-plugin
// replaces os.Stdout after the handshake, and a collected *os.File would
// close the host's end of our stdout.
var handshakeOut *os.File
