//go:build !linux

package analytics

import "syscall"

const corkSupported = false

func setCork(syscall.RawConn, bool) {}
