package analytics_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/tableau-go/sdk/analytics"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLoggingKeepsSecrets checks that failed requests are logged with
// their status and reason, and that credentials never reach the log.
func TestLoggingKeepsSecrets(t *testing.T) {
	var logs syncBuffer
	creds := passwordFile(t, "alice", "topsecret-pw")
	_, url := newServer(t, &analytics.Options{Credentials: creds, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	do(t, "GET", url+"/info", "", "Authorization", basic("alice", "topsecret-pw-wrong"))
	do(t, "POST", url+"/query/nope", `{"data":[]}`, "Authorization", basic("alice", "topsecret-pw"))
	out := logs.String()
	if !strings.Contains(out, "status=401") || !strings.Contains(out, "status=404") {
		t.Errorf("log lacks the failures:\n%s", out)
	}
	for _, secret := range []string{"topsecret", "YWxpY2U6"} { // the password, and base64 of "alice:"
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}
