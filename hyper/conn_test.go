package hyper

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestProcessStartUnixAndTCP(t *testing.T) {
	for _, tcp := range []bool{false, true} {
		p := startProcess(t, &ProcessOptions{TCP: tcp, Settings: map[string]string{"log_file_max_count": "2"}})
		want := "unix"
		if tcp {
			want = "tcp"
		}
		if p.Endpoint().Network != want {
			t.Fatalf("endpoint %+v, want %s", p.Endpoint(), want)
		}
		c, err := p.Connect(context.Background(), "", CreateNone)
		if err != nil {
			t.Fatal(err)
		}
		var n int32
		if err := c.QueryRow(context.Background(), "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
			t.Fatalf("got %d, %v", n, err)
		}
		c.Close()
	}
}

func TestProcessArgs(t *testing.T) {
	logs := t.TempDir()
	p := startProcess(t, &ProcessOptions{LogDir: logs, DatabaseVersion: 3, Settings: map[string]string{"log_file_max_count": "2"}})
	args := strings.Join(p.cmd.Args, " ")
	for _, want := range []string{"--log-dir=" + logs, "--default-database-version=3", "--log-file-max-count=2", "--callback-connection tab.domain://"} {
		if !strings.Contains(args, want) {
			t.Errorf("hyperd args %q lack %q", args, want)
		}
	}
	if strings.Contains(args, "telemetry") {
		t.Errorf("hyperd args %q enable telemetry", args)
	}
	if _, err := os.Stat(filepath.Join(logs, "hyperd.log")); err != nil {
		t.Errorf("no hyperd.log in LogDir: %v", err)
	}
}

func TestProcessCloseStopsHyperd(t *testing.T) {
	p := startProcess(t, nil)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("Done not closed after Close")
	}
	if _, err := p.Connect(context.Background(), "", CreateNone); !errors.Is(err, ErrProcessExited) {
		t.Fatalf("Connect after Close: %v, want ErrProcessExited", err)
	}
}

func TestProcessDeathIsReported(t *testing.T) {
	p := startProcess(t, nil)
	c, err := p.Connect(context.Background(), "", CreateNone)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.Done()
	_, err = c.Exec(context.Background(), "SELECT 1")
	if !errors.Is(err, ErrProcessExited) {
		t.Fatalf("Exec after kill: %v, want ErrProcessExited", err)
	}
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Status == "" {
		t.Fatalf("want *ExitError with status, got %v", err)
	}
}

func TestStartMissingHyperd(t *testing.T) {
	_, err := Start(context.Background(), &ProcessOptions{Path: filepath.Join(t.TempDir(), "nohyperd")})
	if !errors.Is(err, ErrHyperdNotFound) {
		t.Fatalf("got %v, want ErrHyperdNotFound", err)
	}
	t.Setenv("HYPERD_PATH", filepath.Join(t.TempDir(), "missing"))
	_, err = Start(context.Background(), nil)
	if !errors.Is(err, ErrHyperdNotFound) {
		t.Fatalf("got %v, want ErrHyperdNotFound", err)
	}
}

func TestStartRejectsBadOptions(t *testing.T) {
	for _, o := range []*ProcessOptions{{DatabaseVersion: 9}, {KillTimeout: -1}, {Settings: map[string]string{"a=b": "1"}}} {
		if _, err := Start(context.Background(), o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Start(%+v) = %v, want ErrInvalidOptions", o, err)
		}
	}
}

func TestCreateModes(t *testing.T) {
	ctx := context.Background()
	p := startProcess(t, nil)
	path := filepath.Join(t.TempDir(), "modes.hyper")
	if _, err := p.Connect(ctx, path, CreateNone); err == nil {
		t.Fatal("CreateNone on a missing file succeeded")
	}
	c, err := p.Connect(ctx, path, Create)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE TABLE t (a INT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := p.Connect(ctx, path, Create); err == nil {
		t.Fatal("Create on an existing file succeeded")
	}
	c, err = p.Connect(ctx, path, CreateIfMissing)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.QueryScalar(ctx, "SELECT COUNT(*) FROM t"); err != nil || n != int64(1) {
		t.Fatalf("CreateIfMissing lost data: %v %v", n, err)
	}
	c.Close()
	c, err = p.Connect(ctx, path, CreateAndReplace)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, err := c.HasTable(ctx, Table("t")); err != nil || ok {
		t.Fatalf("CreateAndReplace kept the table: %v %v", ok, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

func TestAttachDetach(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	other := filepath.Join(t.TempDir(), "other.hyper")
	if err := c.CreateDatabase(ctx, other, Create); err != nil {
		t.Fatal(err)
	}
	if err := c.Attach(ctx, other, "o"); err != nil {
		t.Fatal(err)
	}
	def := &TableDefinition{Name: TableName{Database: "o", Schema: "s", Table: "x"}, Columns: []Column{{Name: "a", Type: Int()}}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `INSERT INTO "o"."s"."x" VALUES (7)`); err != nil {
		t.Fatal(err)
	}
	tables, err := c.Tables(ctx, "o", "s")
	if err != nil || len(tables) != 1 || tables[0].Table != "x" {
		t.Fatalf("Tables = %v, %v", tables, err)
	}
	if err := c.Detach(ctx, "o"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, `SELECT * FROM "o"."s"."x"`); err == nil {
		t.Fatal("query on a detached database succeeded")
	}
}

func TestQueryCancelledByContext(t *testing.T) {
	c, _ := openDB(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT COUNT(*) FROM generate_series(1, 100000000000) a")
	if err == nil {
		t.Fatal("long query was not cancelled")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v does not match context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Fatalf("cancel took %s", d)
	}
	// The connection stays usable after a CancelRequest.
	if v, err := c.QueryScalar(context.Background(), "SELECT 1"); err != nil || v != int32(1) {
		t.Fatalf("after cancel: %v %v", v, err)
	}
}

func TestTransactions(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, "CREATE TABLE t (a INT)"); err != nil {
		t.Fatal(err)
	}
	err := c.Tx(ctx, func(ctx context.Context) error {
		if _, err := c.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
			return err
		}
		return errors.New("boom")
	})
	if err == nil || err.Error() != "boom" {
		t.Fatalf("Tx error = %v", err)
	}
	if n, _ := c.QueryScalar(ctx, "SELECT COUNT(*) FROM t"); n != int64(0) {
		t.Fatalf("rolled-back insert visible: %v", n)
	}
	if err := c.Tx(ctx, func(ctx context.Context) error {
		_, err := c.Exec(ctx, "INSERT INTO t VALUES ($1)", 5)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.QueryScalar(ctx, "SELECT COUNT(*) FROM t"); n != int64(1) {
		t.Fatalf("committed insert missing: %v", n)
	}
}

func TestPreparedStatement(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, "CREATE TABLE t (a INT, b TEXT, d DATE)"); err != nil {
		t.Fatal(err)
	}
	ins, err := c.Prepare(ctx, "INSERT INTO t VALUES ($1, $2, $3)")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		if _, err := ins.Exec(ctx, i, "v", day); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ins.Exec(ctx, 1); !errors.Is(err, ErrRowLength) {
		t.Fatalf("too few args: %v", err)
	}
	ins.Close(ctx)
	q, err := c.Prepare(ctx, "SELECT a, b, d FROM t WHERE a >= $1 ORDER BY a")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := q.Query(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []int32
	for rows.Next() {
		var a int32
		var b string
		var d time.Time
		if err := rows.Scan(&a, &b, &d); err != nil {
			t.Fatal(err)
		}
		if !d.Equal(day) || b != "v" {
			t.Fatalf("row %d: %q %v", a, b, d)
		}
		got = append(got, a)
	}
	if err := rows.Err(); err != nil || len(got) != 2 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestSQLErrorIsTyped(t *testing.T) {
	c, _ := openDB(t, nil)
	_, err := c.Exec(context.Background(), "SELECT * FROM no_such_table")
	var se *SQLError
	if !errors.As(err, &se) || se.SQLState == "" {
		t.Fatalf("got %v, want *SQLError", err)
	}
}
