package hyper

import (
	"context"
	"fmt"
	"time"
)

const rollbackTimeout = 10 * time.Second

// Stmt is a prepared statement. It belongs to the connection that
// prepared it and is not safe for concurrent use.
type Stmt struct {
	conn   *Conn
	name   string
	params int
	closed bool
}

// Prepare parses sql once on the server; Exec and Query then run it with
// arguments for its placeholders $1, $2, ...
func (c *Conn) Prepare(ctx context.Context, sql string) (*Stmt, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	c.stmtSeq++
	name := fmt.Sprintf("hyper_go_stmt_%d", c.stmtSeq)
	sd, err := c.pg.Prepare(ctx, name, sql, make([]uint32, countPlaceholders(sql)))
	if err != nil {
		return nil, c.wrapCtx(ctx, err)
	}
	return &Stmt{conn: c, name: name, params: len(sd.ParamOIDs)}, nil
}

// NumParams returns the number of placeholders.
func (s *Stmt) NumParams() int { return s.params }

func (s *Stmt) args(args []any) ([][]byte, error) {
	if s.closed {
		return nil, fmt.Errorf("%w: statement", ErrClosed)
	}
	if err := s.conn.check(); err != nil {
		return nil, err
	}
	if len(args) != s.params {
		return nil, fmt.Errorf("%w: statement has %d placeholders, got %d arguments", ErrRowLength, s.params, len(args))
	}
	return encodeParams(args)
}

// Exec runs the statement and returns the number of rows affected.
func (s *Stmt) Exec(ctx context.Context, args ...any) (int64, error) {
	vals, err := s.args(args)
	if err != nil {
		return 0, err
	}
	rr := s.conn.pg.ExecPrepared(ctx, s.name, vals, nil, nil)
	for rr.NextRow() {
	}
	tag, err := rr.Close()
	if err != nil {
		return 0, s.conn.wrapCtx(ctx, err)
	}
	return tag.RowsAffected(), nil
}

// Query runs the statement and returns its rows.
func (s *Stmt) Query(ctx context.Context, args ...any) (*Rows, error) {
	vals, err := s.args(args)
	if err != nil {
		return nil, err
	}
	qctx, cancel := context.WithCancel(ctx)
	return s.conn.newRows(ctx, cancel, s.conn.pg.ExecPrepared(qctx, s.name, vals, nil, resultFormats))
}

// Close deallocates the statement on the server.
func (s *Stmt) Close(ctx context.Context) error {
	if s.closed {
		return nil
	}
	s.closed = true
	if err := s.conn.check(); err != nil {
		return nil
	}
	return s.conn.wrap(s.conn.pg.Deallocate(ctx, s.name))
}
