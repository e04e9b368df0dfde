package analytics

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets requests in flight finish within
// Options.ShutdownTimeout, and returns nil. It returns the listener's
// error if serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	return s.serve(ctx, ln, nil)
}

// ServeTLS is [Server.Serve] over TLS (1.2 or newer, TabPy's default
// minimum) with the PEM certificate and key files.
func (s *Server) ServeTLS(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("analytics: loading TLS certificate: %w", err)
	}
	return s.serve(ctx, ln, &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}})
}

// ListenAndServe listens on addr (":9004" is TabPy's port) and calls
// [Server.Serve]; with certFile and keyFile set it serves HTTPS.
func (s *Server) ListenAndServe(ctx context.Context, addr, certFile, keyFile string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	if certFile != "" || keyFile != "" {
		return s.ServeTLS(ctx, ln, certFile, keyFile)
	}
	return s.Serve(ctx, ln)
}

func (s *Server) serve(ctx context.Context, ln net.Listener, tlsConfig *tls.Config) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		TLSConfig:         tlsConfig,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnContext:       connContext,
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	if s.opts.Logger != nil {
		s.opts.Logger.Info("analytics: serving", "addr", ln.Addr().String(), "tls", tlsConfig != nil)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("analytics: serving: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if s.opts.Logger != nil {
		s.opts.Logger.Info("analytics: stopped", "addr", ln.Addr().String())
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("analytics: serving: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("analytics: shutdown: %w", err)
	}
	return nil
}
