//go:build linux

package pluginhost

import (
	"os/exec"
	"syscall"
)

// dieWithParent asks the kernel to SIGKILL the plugin when the core dies,
// even by SIGKILL. It is a second line of defence: the SDK's parent watch
// also exits the plugin within about a second. (Pdeathsig fires when the
// OS thread that started the child exits; the Go runtime keeps its threads
// unless a goroutine locked to one exits, which this host never does.)
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
