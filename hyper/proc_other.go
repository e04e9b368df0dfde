//go:build !unix

package hyper

import "os/exec"

func setProcAttr(cmd *exec.Cmd) {}
