package main

import (
	"context"
	"net"
	"time"
)

// dialer returns a dialer that gives up when ctx ends or after timeout.
func dialer(ctx context.Context, timeout time.Duration) *net.Dialer {
	d := &net.Dialer{Timeout: timeout}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		d.Deadline = dl
	}
	return d
}
