package hyper

import (
	"context"
	"errors"
	"fmt"
)

// Begin starts a transaction. End it with Commit or Rollback.
func (c *Conn) Begin(ctx context.Context) error {
	_, err := c.Exec(ctx, "BEGIN TRANSACTION")
	return err
}

// Commit commits the transaction.
func (c *Conn) Commit(ctx context.Context) error {
	_, err := c.Exec(ctx, "COMMIT")
	return err
}

// Rollback rolls the transaction back.
func (c *Conn) Rollback(ctx context.Context) error {
	_, err := c.Exec(ctx, "ROLLBACK")
	return err
}

// InTransaction reports whether a transaction is open on the connection.
func (c *Conn) InTransaction() bool {
	return c.pg != nil && (c.pg.TxStatus() == 'T' || c.pg.TxStatus() == 'E')
}

// Tx runs fn in a transaction: it commits when fn returns nil and rolls
// back otherwise (also when fn panics, re-panicking after).
func (c *Conn) Tx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if c.InTransaction() {
		return fmt.Errorf("hyper: a transaction is already open on this connection")
	}
	if err := c.Begin(ctx); err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			c.rollbackQuietly()
		}
	}()
	if err := fn(ctx); err != nil {
		done = true
		c.rollbackQuietly()
		return err
	}
	done = true
	if err := c.Commit(ctx); err != nil {
		c.rollbackQuietly()
		return err
	}
	return nil
}

// rollbackQuietly rolls back with a fresh context, ignoring a connection
// that is already gone.
func (c *Conn) rollbackQuietly() {
	if c.pg == nil || c.pg.IsClosed() || !c.InTransaction() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
	defer cancel()
	if err := c.Rollback(ctx); err != nil && !errors.Is(err, ErrProcessExited) {
		_ = err // the connection is unusable either way; nothing more to do
	}
}
