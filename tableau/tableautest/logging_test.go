package tableautest_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestLogsNeverContainSecrets(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := tableautest.NewTestServer(t, &tableautest.Options{Logger: log})
	cr := srv.Credentials()
	if _, err := srv.AddUser("", "app@example.com", "Creator"); err != nil {
		t.Fatal(err)
	}
	goodJWT := mintJWT(t, cr, "app@example.com", []string{"tableau:content:read"}, nil)
	badJWT := mintJWT(t, cr, "app@example.com", []string{"x"}, func(tok *jwt.Token) { tok.Header["kid"] = "wrong" })

	var tokens []string
	for _, body := range []string{
		passwordBody(cr.Username, cr.Password, ""),
		patBody(cr.PATName, cr.PATSecret, ""),
		jwtBody(goodJWT, ""),
	} {
		c := newClient(t, srv)
		c.signIn(body)
		tokens = append(tokens, c.token)
		c.mustDo("GET", "sites/"+c.siteID+"/projects", "", http.StatusOK)
		c.mustDo("POST", "auth/signout", "", http.StatusNoContent)
	}
	c := newClient(t, srv)
	c.wantError("POST", "auth/signin", passwordBody(cr.Username, cr.Password+"x", ""), http.StatusUnauthorized, "401001")
	c.wantError("POST", "auth/signin", jwtBody(badJWT, ""), http.StatusUnauthorized, "401001")
	srv.Faults().Status(1, 503)
	c.do("GET", "serverinfo", "")

	out := buf.String()
	if !strings.Contains(out, "auth/signin") || !strings.Contains(out, "fault") {
		t.Fatalf("the log misses requests:\n%s", out)
	}
	secrets := append([]string{cr.Password, cr.PATSecret, cr.SecretValue, goodJWT, badJWT}, tokens...)
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("a secret appears in the log")
		}
	}
}
