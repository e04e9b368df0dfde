package analytics

import "syscall"

const corkSupported = true

// setCork sets TCP_CORK on the connection: while it is on, the kernel
// sends only full segments; turning it off sends what is queued.
func setCork(rc syscall.RawConn, on bool) {
	v := 0
	if on {
		v = 1
	}
	_ = rc.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, v)
	})
}
