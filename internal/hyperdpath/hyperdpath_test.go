package hyperdpath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestFindHonoursHyperdPathFile(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "hyperd")
	writeExe(t, exe)
	t.Setenv("HYPERD_PATH", exe)
	got, err := Find()
	if err != nil || got != exe {
		t.Fatalf("Find() = %q, %v; want %q", got, err, exe)
	}
}

func TestFindHonoursHyperdPathFolder(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "bin", "hyper", "hyperd")
	writeExe(t, exe)
	t.Setenv("HYPERD_PATH", dir)
	got, err := Find()
	if err != nil || got != exe {
		t.Fatalf("Find() = %q, %v; want %q", got, err, exe)
	}
}

func TestFindRejectsBadHyperdPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	t.Setenv("HYPERD_PATH", missing)
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "HYPERD_PATH") {
		t.Fatalf("Find() error = %v; want one naming HYPERD_PATH", err)
	}
	notExe := filepath.Join(t.TempDir(), "hyperd")
	if err := os.WriteFile(notExe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HYPERD_PATH", notExe)
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "not an executable") {
		t.Fatalf("Find() error = %v; want 'not an executable'", err)
	}
}

func TestFindUsesCacheThenReportsNotFound(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("HYPERD_PATH", "")
	t.Setenv("TABLEAU_GO_CACHE", cache)
	t.Setenv("PATH", t.TempDir())
	t.Setenv("VIRTUAL_ENV", "")
	t.Setenv("HOME", t.TempDir())
	if _, err := Find(); err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("Find() error = %v; want ErrNotFound", err)
	}
	exe := filepath.Join(cache, "hyperd", "hyperd")
	writeExe(t, exe)
	got, err := Find()
	if err != nil || got != exe {
		t.Fatalf("Find() = %q, %v; want %q", got, err, exe)
	}
}
