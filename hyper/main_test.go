package hyper

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
)

// startProcess starts a real hyperd for a test and stops it at the end.
func startProcess(t testing.TB, opts *ProcessOptions) *Process {
	t.Helper()
	var o ProcessOptions
	if opts != nil {
		o = *opts
	}
	o.Path = testenv.Hyperd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	p, err := Start(ctx, &o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return p
}

// openDB starts hyperd and creates a fresh database in a temporary folder.
func openDB(t testing.TB, opts *ProcessOptions) (*Conn, string) {
	t.Helper()
	p := startProcess(t, opts)
	path := filepath.Join(t.TempDir(), "test.hyper")
	c, err := p.Connect(context.Background(), path, CreateAndReplace)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}
