// Package hyperdpath locates the hyperd executable.
//
// The search order is the same everywhere in tableau-go:
//
//  1. HYPERD_PATH, either the executable itself or a folder holding it;
//  2. the cache folder that scripts/install-hyperd.sh fills:
//     $TABLEAU_GO_CACHE/hyperd/hyperd, where TABLEAU_GO_CACHE defaults to
//     the user cache folder (os.UserCacheDir) joined with "tableau-go";
//  3. a pip-installed tableauhyperapi (tableauhyperapi/bin/hyper/hyperd
//     under a site-packages folder of python3, or of an active virtualenv);
//  4. hyperd on PATH.
package hyperdpath

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrNotFound reports that hyperd was found in none of the places searched.
var ErrNotFound = errors.New("hyperd not found")

// executableName is hyperd's file name on this platform.
func executableName() string {
	if runtime.GOOS == "windows" {
		return "hyperd.exe"
	}
	return "hyperd"
}

// CacheDir returns the folder scripts/install-hyperd.sh installs hyperd into.
func CacheDir() string {
	if dir := os.Getenv("TABLEAU_GO_CACHE"); dir != "" {
		return filepath.Join(dir, "hyperd")
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "tableau-go", "hyperd")
}

// Find returns the path of a hyperd executable, searching in the order the
// package documentation gives. A HYPERD_PATH that is set but points at
// nothing usable is an error, not a reason to look elsewhere.
func Find() (string, error) {
	if p := os.Getenv("HYPERD_PATH"); p != "" {
		return fromEnv(p)
	}
	var searched []string
	candidates := []string{filepath.Join(CacheDir(), executableName())}
	candidates = append(candidates, pipCandidates()...)
	for _, c := range candidates {
		searched = append(searched, c)
		if isExecutable(c) {
			return c, nil
		}
	}
	if p, err := exec.LookPath(executableName()); err == nil {
		return p, nil
	}
	searched = append(searched, "PATH")
	return "", fmt.Errorf("%w (set HYPERD_PATH or run scripts/install-hyperd.sh; searched %s)",
		ErrNotFound, strings.Join(searched, ", "))
}

func fromEnv(p string) (string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("HYPERD_PATH=%q: %w", p, err)
	}
	if info.IsDir() {
		for _, c := range []string{
			filepath.Join(p, executableName()),
			filepath.Join(p, "hyper", executableName()),
			filepath.Join(p, "bin", "hyper", executableName()),
		} {
			if isExecutable(c) {
				return c, nil
			}
		}
		return "", fmt.Errorf("HYPERD_PATH=%q: folder holds no %s", p, executableName())
	}
	if !isExecutable(p) {
		return "", fmt.Errorf("HYPERD_PATH=%q: not an executable file", p)
	}
	return p, nil
}

// pipCandidates lists where a pip-installed tableauhyperapi keeps hyperd,
// without running Python: the active virtualenv, then the usual
// site-packages folders.
func pipCandidates() []string {
	var roots []string
	if venv := os.Getenv("VIRTUAL_ENV"); venv != "" {
		roots = append(roots, venv)
	}
	if home, err := os.UserHomeDir(); err == nil {
		roots = append(roots, filepath.Join(home, ".local"))
	}
	roots = append(roots, "/usr/local", "/usr")
	var out []string
	for _, root := range roots {
		matches, _ := filepath.Glob(filepath.Join(root, "lib", "python3*", "*-packages",
			"tableauhyperapi", "bin", "hyper", executableName()))
		out = append(out, matches...)
	}
	return out
}

func isExecutable(p string) bool {
	info, err := os.Stat(p)
	if err != nil || info.IsDir() {
		return false
	}
	return runtime.GOOS == "windows" || info.Mode()&0o111 != 0
}
