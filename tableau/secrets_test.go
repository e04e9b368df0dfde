package tableau

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestNoSecretInLogsOrErrors drives every path that logs or fails (sign-in
// with each credential kind, bad credentials, retries, renewal, server
// errors that echo the request, non-XML bodies, refused redirects) with a
// Debug logger, then searches the log and every error and printed value
// for the secrets.
func TestNoSecretInLogsOrErrors(t *testing.T) {
	f := newFake(t)
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var out []string // error strings and printed values
	note := func(err error) {
		if err != nil {
			out = append(out, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	// Endpoints that echo secrets back, as a misbehaving proxy might.
	f.mux.HandleFunc("GET /api/{v}/echo-xml", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, 400, "400000", "Bad Request "+r.Header.Get("X-Tableau-Auth"),
			"token "+r.Header.Get("X-Tableau-Auth"))
	})
	f.mux.HandleFunc("GET /api/{v}/echo-text", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		fmt.Fprintf(w, "<html>proxy error for token %s</html>", r.Header.Get("X-Tableau-Auth"))
	})
	var n int
	var mu sync.Mutex
	f.mux.HandleFunc("GET /api/{v}/sites/{site}/busy", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			writeError(w, 429, "", "Too Many Requests", "")
			return
		}
		if f.authorized(w, r) {
			writeXML(w, 200, "")
		}
	})
	app := ConnectedApp{ClientID: fakeClientID, SecretID: fakeSecretID, SecretValue: fakeSecretValue, Username: fakeUser, Scopes: []string{"tableau:content:read"}}
	jwtTok, _ := app.Token(time.Now())
	secrets := []string{fakePATSecret, fakePassword, fakeSecretValue, jwtTok, "session-token-", "SECRET", "eyJ"}

	ctx := context.Background()
	for _, creds := range []Credentials{
		PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret},
		Password{Username: fakeUser, Password: fakePassword},
		app,
		JWT{Token: jwtTok},
	} {
		s, err := NewSession(Config{Server: f.srv.URL, Credentials: creds, Logger: logger,
			Retry: RetryPolicy{Sleep: func(ctx context.Context, d time.Duration) error { return nil }}})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%v %+v %#v %s", creds, creds, creds, creds))
		out = append(out, fmt.Sprintf("%v %+v %#v", s, s, s))
		out = append(out, fmt.Sprintf("%+v", Config{Server: f.srv.URL, Credentials: creds}))
		logger.Info("credentials", "creds", creds, "session", s)
		note(s.SignIn(ctx))
		out = append(out, fmt.Sprintf("%v %+v %#v", s, s, s))
		note(s.Get(ctx, "echo-xml", nil, nil))
		note(s.Get(ctx, "echo-text", nil, nil))
		path, _ := s.SitePath("busy")
		mu.Lock()
		n = 0
		mu.Unlock()
		f.expireAll()
		note(s.Get(ctx, path, nil, nil))
		note(s.SignOut(ctx))
	}
	// Wrong credentials, with the wrong secret also searched for.
	bad := Password{Username: fakeUser, Password: "wrong-SECRET-pw"}
	s, _ := NewSession(Config{Server: f.srv.URL, Credentials: bad, Logger: logger})
	note(s.SignIn(ctx))
	// A server that echoes the sign-in body (password, PAT secret, JWT) in
	// its error, as XML and as text.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(r.URL.Path, "3.24") {
			writeError(w, 400, "400000", "Bad Request", html.EscapeString(string(body)))
			return
		}
		w.WriteHeader(500)
		w.Write(body)
	}))
	t.Cleanup(echo.Close)
	for _, v := range []string{"3.24", "3.23"} {
		for _, creds := range []Credentials{
			PersonalAccessToken{Name: fakePATName, Secret: fakePATSecret},
			Password{Username: fakeUser, Password: fakePassword},
			app,
			JWT{Token: jwtTok},
		} {
			s, _ := NewSession(Config{Server: echo.URL, APIVersion: v, Credentials: creds, Logger: logger,
				Retry: RetryPolicy{MaxRetries: -1}})
			note(s.SignIn(ctx))
		}
	}
	// A connection error.
	dead, _ := NewSession(Config{Server: "http://127.0.0.1:1", APIVersion: "3.24", Credentials: bad, Logger: logger,
		Retry: RetryPolicy{MaxRetries: -1}})
	note(dead.SignIn(ctx))

	all := logs.String() + "\n" + strings.Join(out, "\n")
	if !strings.Contains(logs.String(), "tableau: http") || !strings.Contains(logs.String(), "retrying") || !strings.Contains(logs.String(), "signing in again") {
		t.Fatalf("the log misses expected records:\n%s", logs.String())
	}
	for _, secret := range append(secrets, "wrong-SECRET-pw") {
		if i := strings.Index(all, secret); i >= 0 {
			lo, hi := max(i-200, 0), min(i+200, len(all))
			t.Errorf("secret %q found in output: ...%s...", secret, all[lo:hi])
		}
	}
	if !strings.Contains(all, redacted) {
		t.Error("nothing was redacted: the echo endpoints were not exercised")
	}
}
