//go:build unix

package hyper

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts hyperd in its own process group so that a Ctrl-C sent to
// the caller's group does not kill it before Close can shut it down.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
