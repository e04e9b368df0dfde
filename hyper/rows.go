package hyper

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5/pgconn"
)

// resultFormats asks hyperd for HyperBinary results.
var resultFormats = []int16{2}

// FieldDescription describes one result column.
type FieldDescription struct {
	Name string
	Type Type
}

// Rows is the result of Query. Call Next until it returns false, then
// check Err. Close releases the connection early; Next closes it at the end.
type Rows struct {
	ctx    context.Context
	cancel context.CancelFunc // ends the query early, see Close
	ended  bool
	conn   *Conn
	rr     *pgconn.ResultReader
	fields []FieldDescription
	types  []Type
	raw    [][]byte
	err    error
	closed bool
	tag    pgconn.CommandTag
	rowNum int64
}

// Query runs a statement that returns rows. Arguments fill the placeholders
// $1, $2, ...: nil, bool, integers, floats, string, []byte, time.Time,
// TimeOfDay, time.Duration, Interval, Numeric, *big.Int and driver.Valuer.
func (c *Conn) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	var vals [][]byte
	if len(args) > 0 {
		var err error
		if vals, err = encodeParams(args); err != nil {
			return nil, err
		}
	}
	qctx, cancel := context.WithCancel(ctx)
	rr := c.pg.ExecParams(qctx, sql, vals, make([]uint32, len(vals)), nil, resultFormats)
	return c.newRows(ctx, cancel, rr)
}

func (c *Conn) newRows(ctx context.Context, cancel context.CancelFunc, rr *pgconn.ResultReader) (*Rows, error) {
	r := &Rows{ctx: ctx, cancel: cancel, conn: c, rr: rr}
	fds := rr.FieldDescriptions()
	if fds == nil {
		// An error before the row description: report it now.
		_, err := rr.Close()
		cancel()
		if err != nil {
			return nil, c.wrapCtx(ctx, err)
		}
	}
	r.fields = make([]FieldDescription, len(fds))
	r.types = make([]Type, len(fds))
	for i, fd := range fds {
		t := typeFromOID(fd.DataTypeOID, fd.TypeModifier)
		r.fields[i] = FieldDescription{Name: fd.Name, Type: t}
		r.types[i] = t
	}
	if fds == nil {
		r.closed = true
	}
	return r, nil
}

// Fields describes the result columns.
func (r *Rows) Fields() []FieldDescription { return r.fields }

// Next advances to the next row.
func (r *Rows) Next() bool {
	if r.closed {
		return false
	}
	if r.rr.NextRow() {
		r.raw = r.rr.Values()
		r.rowNum++
		return true
	}
	r.ended = true
	r.Close()
	return false
}

// RawValues returns the current row's HyperBinary values, valid until the
// next call to Next (nil is NULL).
func (r *Rows) RawValues() [][]byte { return r.raw }

// Values decodes the current row into Go values (see DecodeValue).
func (r *Rows) Values() ([]any, error) {
	out := make([]any, len(r.raw))
	for i, b := range r.raw {
		v, err := DecodeValue(r.types[i], b)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", r.fields[i].Name, err)
		}
		out[i] = v
	}
	return out, nil
}

// Scan copies the current row into dest, one pointer per column (see
// ScanValue for the accepted pointer types).
func (r *Rows) Scan(dest ...any) error {
	if len(dest) != len(r.raw) {
		return fmt.Errorf("hyper: Scan got %d destinations for %d columns", len(dest), len(r.raw))
	}
	for i, d := range dest {
		if err := scanValue(r.types[i], r.raw[i], d); err != nil {
			return fmt.Errorf("hyper: column %q: %w", r.fields[i].Name, err)
		}
	}
	return nil
}

// Err returns the error that ended iteration, if any.
func (r *Rows) Err() error { return r.err }

// RowsAffected returns the count from the command tag, after the end.
func (r *Rows) RowsAffected() int64 { return r.tag.RowsAffected() }

// Close stops reading; it is safe to call more than once. Closing before
// the end reads and drops the rest of the result; use Stop to end a big
// query early.
func (r *Rows) Close() error {
	if r.closed {
		return r.err
	}
	r.closed = true
	tag, err := r.rr.Close()
	r.cancel()
	r.tag = tag
	if err != nil && r.err == nil {
		r.err = r.conn.wrapCtx(r.ctx, err)
	}
	return r.err
}

// Stop ends the query early: it cancels it on the server through the
// query's own context (so the CancelRequest cannot reach a later
// statement), reads what was already sent, and closes the rows. It
// returns nil when the query ended by that cancel or on its own.
func (r *Rows) Stop() error {
	if r.closed {
		return r.err
	}
	r.cancel()
	for r.Next() {
	}
	if r.err != nil && r.ctx.Err() == nil && (isQueryCanceled(r.err) || errors.Is(r.err, context.Canceled)) {
		r.err = nil // the cancel Stop asked for
	}
	return r.err
}

// isQueryCanceled reports SQLSTATE 57014 (query_canceled).
func isQueryCanceled(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "57014"
}

// Row is the result of QueryRow.
type Row struct {
	rows *Rows
	err  error
}

// QueryRow runs a query expected to return one row; Scan reports
// ErrNoRows when there is none.
func (c *Conn) QueryRow(ctx context.Context, sql string, args ...any) *Row {
	rows, err := c.Query(ctx, sql, args...)
	return &Row{rows: rows, err: err}
}

// Scan copies the row into dest and closes the result.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// QueryScalar runs a query and returns the first column of its first row
// decoded as DecodeValue does (nil for NULL).
func (c *Conn) QueryScalar(ctx context.Context, sql string, args ...any) (any, error) {
	var v any
	err := c.QueryRow(ctx, sql, args...).Scan(&v)
	return v, err
}

// All returns the rows as a sequence of decoded values, closing the result
// at the end, or stopping the query (see Stop) when the loop ends early.
func (r *Rows) All() iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		defer r.Close()
		for r.Next() {
			v, err := r.Values()
			if !yield(v, err) || err != nil {
				r.Stop()
				return
			}
		}
		if err := r.Err(); err != nil {
			yield(nil, err)
		}
	}
}
