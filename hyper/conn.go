package hyper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
)

// CreateMode says what Connect does with the database file.
type CreateMode int

const (
	// CreateNone opens an existing database; a missing file is an error.
	CreateNone CreateMode = iota
	// Create creates the database; an existing file is an error.
	Create
	// CreateIfMissing opens the database, creating it first if it does not exist.
	CreateIfMissing
	// CreateAndReplace creates the database, replacing any existing file.
	CreateAndReplace
)

// Conn is one connection to hyperd. A Conn is not safe for concurrent use;
// open one per goroutine. Close it when done.
type Conn struct {
	pg       *pgconn.PgConn
	proc     *Process
	database string
	stmtSeq  int
}

// Connect opens a connection to the running hyperd with database (a path
// to a .hyper file) as its default database, created according to mode.
// An empty database connects with no database attached. hyperd releases a
// file shortly after the last connection to it closes, so a file in use is
// retried for up to 3 s before Connect fails with ErrDatabaseInUse (for
// example when another hyperd holds it).
func (p *Process) Connect(ctx context.Context, database string, mode CreateMode) (*Conn, error) {
	if err := p.Err(); err != nil {
		return nil, err
	}
	if mode < CreateNone || mode > CreateAndReplace {
		return nil, fmt.Errorf("%w: create mode %d", ErrInvalidOptions, mode)
	}
	// hyperd releases a file shortly after the last connection to it
	// ends, so "in use" is retried for a moment before it is reported.
	deadline := time.Now().Add(inUseRetry)
	for delay := 10 * time.Millisecond; ; delay = min(2*delay, 200*time.Millisecond) {
		c, err := p.connect(ctx, database, mode)
		if err == nil || !isInUse(err) || time.Now().After(deadline) {
			return c, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
	}
}

// inUseRetry is how long Connect retries a database file that is in use.
const inUseRetry = 3 * time.Second

func isInUse(err error) bool {
	var se *SQLError
	return errors.As(err, &se) && se.SQLState == "55006"
}

func (p *Process) connect(ctx context.Context, database string, mode CreateMode) (*Conn, error) {
	if database != "" && mode != CreateNone {
		setup, err := p.dial(ctx, "")
		if err != nil {
			return nil, err
		}
		err = setup.CreateDatabase(ctx, database, mode)
		setup.Close()
		if err != nil {
			return nil, err
		}
	}
	return p.dial(ctx, database)
}

func (p *Process) dial(ctx context.Context, database string) (*Conn, error) {
	cfg, err := pgconn.ParseConfig(p.endpoint.connString(database))
	if err != nil {
		return nil, fmt.Errorf("hyper: connection config: %w", err)
	}
	if p.endpoint.Network == "unix" {
		// The socket folder may be long; dial the exact path.
		sock := p.endpoint.Host + "/.s.PGSQL." + fmt.Sprint(p.endpoint.Port)
		cfg.DialFunc = func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		}
	}
	cfg.BuildContextWatcherHandler = func(pg *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pg, CancelRequestDelay: 0, DeadlineDelay: 10 * time.Second}
	}
	c := &Conn{proc: p, database: database}
	pg, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		if de := p.deadErr(0); de != nil {
			return nil, de
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			return nil, c.wrap(pgErr)
		}
		return nil, fmt.Errorf("hyper: connecting to %s: %w", p.endpoint.Descriptor, err)
	}
	c.pg = pg
	return c, nil
}

// Close closes the connection. Databases it attached stay unchanged on disk.
func (c *Conn) Close() error {
	if c.pg == nil || c.pg.IsClosed() {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.pg.Close(ctx)
}

// Process returns the hyperd the connection belongs to.
func (c *Conn) Process() *Process { return c.proc }

// Database returns the path given to Connect.
func (c *Conn) Database() string { return c.database }

// PgConn returns the underlying low-level connection, for protocol-level
// work this package does not cover.
func (c *Conn) PgConn() *pgconn.PgConn { return c.pg }

// check fails fast when the connection or hyperd is gone.
func (c *Conn) check() error {
	if err := c.proc.Err(); err != nil {
		return err
	}
	if c.pg == nil || c.pg.IsClosed() {
		return fmt.Errorf("%w: connection", ErrClosed)
	}
	return nil
}

// wrap turns errors from pgconn into this package's errors.
func (c *Conn) wrap(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return &SQLError{SQLState: pgErr.Code, Message: pgErr.Message, Detail: pgErr.Detail, Hint: pgErr.Hint, err: pgErr}
	}
	var se *SQLError
	var ve *ValueError
	if errors.As(err, &se) || errors.As(err, &ve) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("hyper: statement cancelled: %w", err)
	}
	if de := c.proc.deadErr(500 * time.Millisecond); de != nil {
		return fmt.Errorf("%w (%v)", de, err)
	}
	return fmt.Errorf("hyper: %w", err)
}

// wrapCtx is wrap, adding ctx's error when ctx has ended, so that
// errors.Is(err, context.Canceled) holds for a cancelled statement.
func (c *Conn) wrapCtx(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	w := c.wrap(err)
	if cerr := ctx.Err(); cerr != nil && !errors.Is(w, cerr) {
		return fmt.Errorf("hyper: cancelled: %w: %w", cerr, w)
	}
	return w
}

// Exec runs one SQL statement and returns the number of rows it affected
// (0 for statements that affect none). With args, the statement uses
// placeholders $1, $2, ... (see Query for the Go types accepted).
func (c *Conn) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	if err := c.check(); err != nil {
		return 0, err
	}
	if len(args) == 0 {
		mrr := c.pg.Exec(ctx, sql)
		res, err := mrr.ReadAll()
		if err != nil {
			return 0, c.wrapCtx(ctx, err)
		}
		var n int64
		for _, r := range res {
			n += r.CommandTag.RowsAffected()
		}
		return n, nil
	}
	vals, err := encodeParams(args)
	if err != nil {
		return 0, err
	}
	rr := c.pg.ExecParams(ctx, sql, vals, make([]uint32, len(vals)), nil, nil)
	for rr.NextRow() {
	}
	tag, err := rr.Close()
	if err != nil {
		return 0, c.wrapCtx(ctx, err)
	}
	return tag.RowsAffected(), nil
}

// CreateDatabase creates a database file according to mode (CreateNone
// does nothing).
func (c *Conn) CreateDatabase(ctx context.Context, path string, mode CreateMode) error {
	q := QuoteIdent(path)
	var err error
	switch mode {
	case CreateNone:
	case Create:
		_, err = c.Exec(ctx, "CREATE DATABASE "+q)
	case CreateIfMissing:
		_, err = c.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+q)
	case CreateAndReplace:
		if _, err = c.Exec(ctx, "DROP DATABASE IF EXISTS "+q); err == nil {
			_, err = c.Exec(ctx, "CREATE DATABASE "+q)
		}
	default:
		err = fmt.Errorf("%w: create mode %d", ErrInvalidOptions, mode)
	}
	return err
}

// DropDatabase deletes a database file that no connection has attached.
func (c *Conn) DropDatabase(ctx context.Context, path string) error {
	_, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+QuoteIdent(path))
	return err
}

// Attach attaches another database file under alias; its tables are then
// named "alias"."schema"."table".
func (c *Conn) Attach(ctx context.Context, path, alias string) error {
	_, err := c.Exec(ctx, "ATTACH DATABASE "+QuoteIdent(path)+" AS "+QuoteIdent(alias))
	return err
}

// Detach detaches the database attached under alias.
func (c *Conn) Detach(ctx context.Context, alias string) error {
	_, err := c.Exec(ctx, "DETACH DATABASE "+QuoteIdent(alias))
	return err
}

// QuoteIdent quotes an SQL identifier: QuoteIdent(`a"b`) is `"a""b"`.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// QuoteLiteral quotes an SQL string literal, doubling every single quote
// in s (SQL's escape for it).
func QuoteLiteral(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
