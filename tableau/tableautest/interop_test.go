package tableautest_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/internal/testenv"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestTableauServerClientInterop drives the emulator with
// tableauserverclient, the Python peer: if TSC, which real servers have
// exercised for years, can use the emulator, its XML is right.
func TestTableauServerClientInterop(t *testing.T) {
	py := testenv.PythonWith(t, "tableauserverclient")
	srv := tableautest.NewTestServer(t, nil)
	cr := srv.Credentials()
	if _, err := srv.AddUser("", "app-user@example.com", "Creator"); err != nil {
		t.Fatal(err)
	}
	jwt := mintJWT(t, cr, "app-user@example.com", []string{"tableau:content:read"}, nil)
	cmd := exec.Command(py, "testdata/tsc_interop.py", srv.URL(), cr.PATName, cr.PATSecret, cr.Username, cr.Password, jwt)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tsc_interop.py: %v\n%s", err, redact(string(out), cr))
	}
	steps := strings.Count(string(out), "ok ")
	if steps != 13 {
		t.Fatalf("tsc_interop.py passed %d of 13 steps:\n%s", steps, redact(string(out), cr))
	}
}

// redact removes the server's secrets from output shown in test logs.
func redact(s string, cr tableautest.Credentials) string {
	for _, secret := range []string{cr.Password, cr.PATSecret, cr.SecretValue} {
		s = strings.ReplaceAll(s, secret, "[redacted]")
	}
	return s
}
