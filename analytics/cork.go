package analytics

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"syscall"
)

// corkMin is the response body size from which writeJSON corks the TCP
// connection: net/http writes headers and body through a 4 KiB buffer,
// so a bigger response leaves in two or more writes, each of which, on
// its own, sends a segment and wakes the client.
const corkMin = 3 << 10

// connKey is the context key of the accepted connection's syscall.RawConn.
type connKey struct{}

// connContext is [http.Server].ConnContext in [Server.Serve]: it keeps the
// accepted TCP connection in every request's context, for writeJSON.
// Connections accepted by [Server.ServeTLS] are *tls.Conn and are left
// alone.
func connContext(ctx context.Context, c net.Conn) context.Context {
	tc, ok := c.(*net.TCPConn)
	if !ok || !corkSupported {
		return ctx
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return ctx
	}
	return context.WithValue(ctx, connKey{}, rc)
}

// writeJSON answers 200 with the JSON b and its Content-Length.
//
// Over plain HTTP/1 connections accepted by [Server.Serve], a large answer is
// written with the socket corked (Linux TCP_CORK) and flushed before it
// is uncorked, so that the headers and the body leave as one segment:
// one wake-up of the client instead of one per 4 KiB write. HTTP/2 is
// left alone (its writes happen on another goroutine).
func writeJSON(w http.ResponseWriter, r *http.Request, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	if len(b) >= corkMin && r.ProtoMajor == 1 {
		rc, ok := r.Context().Value(connKey{}).(syscall.RawConn)
		f, canFlush := w.(http.Flusher)
		if ok && canFlush {
			setCork(rc, true)
			if _, err := w.Write(b); err == nil {
				f.Flush()
			}
			setCork(rc, false)
			return
		}
	}
	_, _ = w.Write(b)
}
