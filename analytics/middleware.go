package analytics

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// writeError answers with TabPy's error body {"message": ..., "info": ...}.
// An empty info is written as {} as TabPy does.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, e *Error) {
	if s.opts.Logger != nil {
		s.opts.Logger.LogAttrs(r.Context(), levelFor(e.Status), "analytics: request failed",
			slogStr("method", r.Method), slogStr("path", r.URL.Path),
			slogInt("status", e.Status), slogStr("message", e.Message), slogStr("info", e.Info))
	}
	b := make([]byte, 0, 64+len(e.Message)+len(e.Info))
	b = append(b, `{"message":`...)
	b = appendString(b, e.Message)
	b = append(b, `,"info":`...)
	if e.Info == "" {
		b = append(b, "{}"...)
	} else {
		b = appendString(b, e.Info)
	}
	b = append(b, '}')
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

// recoverPanics turns a panic in a handler into a 500 with a message; the
// server keeps serving.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.writeError(w, r, &Error{Status: http.StatusInternalServerError,
					Message: "Internal server error", Info: fmt.Sprintf("panic: %v", p)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// authenticate applies TabPy's rules: with credentials configured every
// request needs valid Basic credentials (401 otherwise); without them a
// request that carries Basic credentials gets 406.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		header := r.Header.Get("Authorization")
		if s.opts.Credentials == nil {
			if _, _, ok := basicAuth(header); ok {
				w.Header().Set("WWW-Authenticate", `Basic realm="`+s.opts.Name+`"`)
				s.writeError(w, r, &Error{Status: http.StatusNotAcceptable,
					Message: "Username or password provided when authentication not available.", Info: "Not Acceptable"})
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		login, password, ok := basicAuth(header)
		if !ok || !s.opts.Credentials.Verify(login, password) {
			w.Header().Set("WWW-Authenticate", `Basic realm="`+s.opts.Name+`"`)
			s.writeError(w, r, &Error{Status: http.StatusUnauthorized,
				Message: "Invalid credentials provided.", Info: "Unauthorized request."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

func tooLarge(size string, limit int64) *Error {
	return &Error{Status: http.StatusRequestEntityTooLarge, Info: "Request Entity Too Large",
		Message: fmt.Sprintf("Request with size %s exceeded limit of %d (bytes).", size, limit)}
}

// readBody reads the request body within the size limit, decompressing
// gzip bodies (the limit applies to the decompressed bytes too).
func (s *Server) readBody(r *http.Request) ([]byte, *Error) {
	limit := s.opts.MaxRequestBytes
	if r.ContentLength > limit {
		return nil, tooLarge(strconv.FormatInt(r.ContentLength, 10), limit)
	}
	var body io.Reader = io.LimitReader(r.Body, limit+1)
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		if s.opts.DisableGzip {
			return nil, &Error{Status: http.StatusUnsupportedMediaType, Message: "Unsupported Content-Encoding",
				Info: "gzip request bodies are disabled on this server"}
		}
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, badRequest("Failed to decode input body", "invalid gzip body: "+err.Error())
		}
		defer zr.Close()
		body = io.LimitReader(zr, limit+1)
	default:
		return nil, &Error{Status: http.StatusUnsupportedMediaType, Message: "Unsupported Content-Encoding",
			Info: fmt.Sprintf("Content-Encoding %q is not supported; send identity or gzip", enc)}
	}
	buf := s.getBuf()
	if n := r.ContentLength; n > 0 && int64(cap(buf)) < n+1 {
		buf = make([]byte, 0, n+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			s.putBuf(buf)
			return nil, tooLarge("over "+strconv.FormatInt(limit, 10), limit)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			s.putBuf(buf)
			return nil, badRequest("Failed to read input body", err.Error())
		}
	}
}

// getBuf returns an empty buffer from the pool.
func (s *Server) getBuf() []byte {
	if p, ok := s.bufs.Get().(*[]byte); ok {
		return (*p)[:0]
	}
	return make([]byte, 0, 16<<10)
}

// putBuf returns a buffer that nothing references any more to the pool.
func (s *Server) putBuf(b []byte) {
	if cap(b) == 0 || cap(b) > 4<<20 {
		return
	}
	s.bufs.Put(&b)
}

// invoke calls the function, bounded by the timeout, with panics recovered
// into a 500, and returns the JSON of its result. When it returns false the
// answer (an error) has been written already.
//
// The function runs on the request's own goroutine: handing every call to
// another goroutine cost two scheduler wake-ups per request, a sizeable
// share of the server's CPU with 1,000-value arguments. If the call is
// still running when its context ends (the timeout, or the client going
// away), a callback answers at once, as before: 408 (or 499), with
// "Connection: close" so that the client does not queue requests behind a
// function that ignores its context. The call's goroutine returns when the
// function does.
func (s *Server) invoke(w http.ResponseWriter, r *http.Request, f *function, ca callArgs, message string) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	var (
		mu       sync.Mutex
		finished bool // the function returned
		answered bool // the callback wrote the answer
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if finished {
			return
		}
		answered = true
		w.Header().Set("Connection", "close")
		s.writeError(w, r, s.contextError(ctx, message))
		_ = http.NewResponseController(w).Flush()
	})
	b, err := s.call(ctx, f, ca)
	stop()
	mu.Lock()
	finished = true
	mu.Unlock()
	if answered {
		s.putBuf(b)
		return nil, false
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			s.writeError(w, r, s.timeoutError())
		} else {
			s.writeError(w, r, callError(err, message))
		}
		return nil, false
	}
	return b, true
}

// call runs the function with panics recovered into a 500.
func (s *Server) call(ctx context.Context, f *function, ca callArgs) (b []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, &Error{Status: http.StatusInternalServerError, Message: "Error processing script",
				Info: fmt.Sprintf("function %q panicked: %v", f.name, p)}
		}
	}()
	return f.run(ctx, ca, s.getBuf())
}

// contextError is the answer for a call whose context ended first.
func (s *Server) contextError(ctx context.Context, message string) *Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return s.timeoutError()
	}
	return callError(ctx.Err(), message)
}

func (s *Server) timeoutError() *Error {
	return &Error{Status: http.StatusRequestTimeout, Message: fmt.Sprintf(
		"User defined script timed out. Timeout is set to %g s.", s.opts.Timeout.Seconds())}
}

// callError converts an error from invoke into the answer.
func callError(err error, message string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, context.Canceled) {
		// The client went away; 499 is logged, nobody reads the body.
		return &Error{Status: 499, Message: "Client closed request", Err: err}
	}
	return &Error{Status: http.StatusInternalServerError, Message: message, Info: err.Error(), Err: err}
}
