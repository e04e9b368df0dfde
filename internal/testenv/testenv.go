// Package testenv holds helpers that tests across tableau-go share.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tableau-go/sdk/internal/hyperdpath"
)

// HyperRequired reports whether HYPER_REQUIRED=1 is set, as `make test` does:
// then a test that needs hyperd fails when hyperd is missing instead of
// skipping.
func HyperRequired() bool { return os.Getenv("HYPER_REQUIRED") == "1" }

// Hyperd returns the path of hyperd for a test. Without hyperd the test is
// skipped, unless HYPER_REQUIRED=1, when it fails.
func Hyperd(tb testing.TB) string {
	tb.Helper()
	p, err := hyperdpath.Find()
	if err != nil {
		if HyperRequired() {
			tb.Fatalf("HYPER_REQUIRED=1 but %v", err)
		}
		tb.Skipf("skipping: %v (HYPER_REQUIRED is not 1)", err)
	}
	return p
}

// PeersRequired reports whether PEERS_REQUIRED=1 is set, as `make test` does:
// then a test that needs the Python peers fails when they are missing
// instead of skipping.
func PeersRequired() bool { return os.Getenv("PEERS_REQUIRED") == "1" }

// RepoRoot returns the folder holding the module's go.mod, found by walking
// up from the working directory of the test.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Python returns the python of the peers' virtualenv (TABLEAU_GO_VENV, or
// .venv at the repository root, which scripts/setup-python.sh creates).
// Without it the test is skipped, unless PEERS_REQUIRED=1, when it fails.
func Python(tb testing.TB) string {
	tb.Helper()
	venv := os.Getenv("TABLEAU_GO_VENV")
	if venv == "" {
		venv = filepath.Join(RepoRoot(tb), ".venv")
	}
	py := filepath.Join(venv, "bin", "python")
	if _, err := os.Stat(py); err != nil {
		if PeersRequired() {
			tb.Fatalf("PEERS_REQUIRED=1 but the peers' virtualenv is missing: %v (run scripts/setup-python.sh)", err)
		}
		tb.Skipf("skipping: no peers' virtualenv at %s (run scripts/setup-python.sh; PEERS_REQUIRED is not 1)", venv)
	}
	return py
}

// PythonWith is Python, and also checks that each of modules imports in
// that virtualenv: a missing module skips the test, unless PEERS_REQUIRED=1,
// when it fails.
func PythonWith(tb testing.TB, modules ...string) string {
	tb.Helper()
	py := Python(tb)
	for _, m := range modules {
		if out, err := exec.Command(py, "-c", "import "+m).CombinedOutput(); err != nil {
			if PeersRequired() {
				tb.Fatalf("PEERS_REQUIRED=1 but Python module %s does not import: %v\n%s", m, err, out)
			}
			tb.Skipf("skipping: Python module %s does not import (PEERS_REQUIRED is not 1): %v", m, err)
		}
	}
	return py
}
