package tableau

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
)

func TestExpiredSessionRenewedOnceForConcurrentCallers(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	f.mux.HandleFunc("GET /api/{v}/sites/{site}/ping", func(w http.ResponseWriter, r *http.Request) {
		if f.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	path, _ := s.SitePath("ping")
	before := f.signInCount()
	f.expireAll()
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() { errs <- s.Get(context.Background(), path, nil, nil) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := f.signInCount() - before; got != 1 {
		t.Fatalf("sign-ins = %d, want exactly 1", got)
	}
}

func TestRenewOnlyOnce(t *testing.T) {
	// A server that keeps answering 401002: one re-sign-in, then the error.
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	f.mux.HandleFunc("GET /api/{v}/always", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, 401, CodeSessionExpired, "Unauthorized Access", "Invalid authentication credentials were provided.")
	})
	before := f.signInCount()
	err := s.Get(context.Background(), "always", nil, nil)
	var e *Error
	if !errors.As(err, &e) || !e.SessionExpired() {
		t.Fatalf("err = %v", err)
	}
	if f.signInCount()-before != 1 {
		t.Fatalf("sign-ins = %d, want 1", f.signInCount()-before)
	}
}

func TestRenewFailureReported(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	f.mux.HandleFunc("GET /api/{v}/ping", func(w http.ResponseWriter, r *http.Request) {
		if f.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	f.expireAll()
	s.creds = PersonalAccessToken{Name: fakePATName, Secret: "revoked-SECRET"}
	err := s.Get(context.Background(), "ping", nil, nil)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
}

func TestOneShotBodyNotReplayed(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	f.mux.HandleFunc("POST /api/{v}/upload", func(w http.ResponseWriter, r *http.Request) {
		if f.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	f.expireAll()
	before := f.signInCount()
	_, err := s.Send(context.Background(), &Request{Method: "POST", Path: "upload", Body: stringsReader("stream")})
	var e *Error
	if !errors.As(err, &e) || !e.SessionExpired() || f.signInCount() != before {
		t.Fatalf("err = %v sign-ins = %d", err, f.signInCount()-before)
	}
}
