// Command noisy is a misbehaving test plugin: it writes to stdout while the
// handshake happens and from its handlers (through fmt, a logger created
// before Serve, and the raw file descriptor), and panics on demand. The SDK
// must keep the protocol intact and the process alive.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// stdoutLogger captured os.Stdout before Serve, like a careless library.
var stdoutLogger = log.New(os.Stdout, "noisy-logger: ", 0)

const manifest = `
id: noisy
name: Noisy
version: 0.0.1
requires: {core: ">=0.1.0", protocol: 1}
capabilities: [customer_directory]
`

type noisy struct{}

func (noisy) LookupCustomer(_ context.Context, r *pluginv1.LookupCustomerRequest) (*pluginv1.LookupCustomerResponse, error) {
	if r.GetEmail() == "panic@example.com" {
		panic("noisy panic")
	}
	fmt.Println("noisy-fmt: handler output")
	stdoutLogger.Println("handler output")
	_, _ = syscall.Write(1, []byte("noisy-raw: handler output\n"))
	return &pluginv1.LookupCustomerResponse{Organization: &pluginv1.Organization{Name: "Noisy Inc"}, Source: "noisy", FetchedAt: timestamppb.Now()}, nil
}

func main() {
	go func() {
		for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
			stdoutLogger.Println("chatter during the handshake")
			time.Sleep(100 * time.Microsecond)
		}
	}()
	sdk.Serve(sdk.Plugin{Manifest: []byte(manifest), Impl: noisy{}})
}
