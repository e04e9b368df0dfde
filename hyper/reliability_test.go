package hyper

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// hyperd killed in the middle of an insert: the insert fails naming the
// cause, and the file reopened by a new hyperd holds exactly the rows
// committed before, nothing of the interrupted insert. (hyperd writes a
// database file when the last connection to it closes, so "committed"
// here means committed and closed; see the package documentation.)
func TestHyperdKilledMidInsert(t *testing.T) {
	ctx := context.Background()
	p := startProcess(t, nil)
	path := filepath.Join(t.TempDir(), "killed.hyper")
	insertN := func(ins *Inserter, from, n int) error {
		for i := from; i < from+n; i++ {
			ins.AddInt32(int32(i))
			ins.AddInt32(1)
			ins.AddFloat64(1)
			ins.AddInt64(int64(i))
			if err := ins.EndRow(); err != nil {
				return err
			}
		}
		return nil
	}
	// Phase 1: 50,000 rows committed and written (Detach writes the file).
	setup, err := p.Connect(ctx, "", CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	if err := setup.CreateDatabase(ctx, path, Create); err != nil {
		t.Fatal(err)
	}
	if err := setup.Attach(ctx, path, "db"); err != nil {
		t.Fatal(err)
	}
	def := *measurementsDef
	def.Name = TableName{Database: "db", Table: "measurements"}
	if err := setup.CreateTable(ctx, &def, false); err != nil {
		t.Fatal(err)
	}
	ins, err := setup.NewInserter(ctx, def.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := insertN(ins, 0, 50_000); err != nil {
		t.Fatal(err)
	}
	if n, err := ins.Close(); err != nil || n != 50_000 {
		t.Fatalf("committed insert: %d, %v", n, err)
	}
	if err := setup.Detach(ctx, "db"); err != nil {
		t.Fatal(err)
	}
	setup.Close()

	// Phase 2: a big insert on a new connection, hyperd killed midway.
	c, err := p.Connect(ctx, path, CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	ins, err = c.NewInserter(ctx, measurementsDef.Name, &InserterOptions{BufferSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := insertN(ins, 50_000, 200_000); err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Keep inserting: the error must surface, from EndRow or from Close.
	err = insertN(ins, 250_000, 5_000_000)
	if err == nil {
		_, err = ins.Close()
	} else {
		ins.Abort()
	}
	if !errors.Is(err, ErrProcessExited) {
		t.Fatalf("insert after kill: %v, want ErrProcessExited", err)
	}
	t.Logf("error: %v", err)
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("Done not closed after kill")
	}

	p2 := startProcess(t, nil)
	c2, err := p2.Connect(ctx, path, CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	var n int64
	if err := c2.QueryRow(ctx, `SELECT COUNT(*) FROM measurements`).Scan(&n); err != nil || n != 50_000 {
		t.Fatalf("after restart: %d rows, %v; want the 50000 committed", n, err)
	}
}

func TestDatabaseHeldByAnotherHyperd(t *testing.T) {
	ctx := context.Background()
	p1 := startProcess(t, nil)
	p2 := startProcess(t, nil)
	path := filepath.Join(t.TempDir(), "held.hyper")
	c1, err := p1.Connect(ctx, path, CreateAndReplace)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	_, err = p2.Connect(ctx, path, CreateNone)
	if !errors.Is(err, ErrDatabaseInUse) {
		t.Fatalf("second hyperd: %v, want ErrDatabaseInUse", err)
	}
	t.Logf("error: %v", err)
}
