// Package exampletest holds what the examples' tests share.
package exampletest

import (
	"os"
	"testing"

	"github.com/tableau-go/sdk/tableau"
)

// tableauEnv is every variable tableau.ConfigFromEnv reads.
var tableauEnv = []string{
	tableau.EnvServer, tableau.EnvSite, tableau.EnvAPIVersion, tableau.EnvPATName, tableau.EnvPATSecret,
	tableau.EnvUsername, tableau.EnvPassword, tableau.EnvJWT, tableau.EnvClientID, tableau.EnvSecretID,
	tableau.EnvSecretValue, tableau.EnvJWTUser, tableau.EnvJWTScopes, tableau.EnvImpersonateUserID,
}

// ClearEnv unsets every TABLEAU_* variable and the extra ones for the rest
// of the test (restored after it), so that an example runs against its
// embedded emulator whatever the developer's shell exports.
func ClearEnv(t testing.TB, extra ...string) {
	t.Helper()
	for _, v := range append(append([]string(nil), tableauEnv...), extra...) {
		t.Setenv(v, "") // records the old value for the cleanup
		os.Unsetenv(v)
	}
}
