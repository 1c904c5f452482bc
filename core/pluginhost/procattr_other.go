//go:build !linux

package pluginhost

import "os/exec"

// dieWithParent has no kernel help outside Linux; the SDK's parent watch
// makes the plugin exit when the core dies.
func dieWithParent(*exec.Cmd) {}
