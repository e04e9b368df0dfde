package hyper

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// InserterOptions configures NewInserter. A nil *InserterOptions uses
// every default.
type InserterOptions struct {
	// Columns are the table columns the rows give values for, in order.
	// Default: all columns of the table, in table order. Columns left out
	// get their default (NULL).
	Columns []string
	// Staging and Mappings compute target columns with SQL: rows give
	// values for the Staging columns, which go to a temporary table; each
	// Mapping then fills one target column with an SQL expression over
	// them (for example a CAST of WKT text to GEOGRAPHY) in one INSERT
	// ... SELECT, so the table gets all rows or none; the temporary table
	// is dropped either way. hyperd does not mix DDL and DML in one
	// transaction, so staging cannot run inside a caller's transaction.
	// Default: none (rows go straight into the table).
	Staging  []Column
	Mappings []ColumnMapping
	// BufferSize is the size in bytes of each buffer of encoded rows,
	// sent to hyperd as one CopyData message; at most two exist at a time
	// (one filled while the other is sent), so memory stays flat. hyperd
	// spends less CPU per row on large messages. Default: 16 MiB.
	BufferSize int
	// Progress, if set, is called with the number of complete rows added
	// so far each time a buffer is handed to hyperd (about every
	// BufferSize bytes), on the goroutine adding rows. Default: none.
	Progress func(rows int64)
}

// defaultBufferSize is InserterOptions.BufferSize's default.
const defaultBufferSize = 16 << 20

// ColumnMapping fills target column Column with the SQL expression Expr,
// which may refer to staging columns by name. An empty Expr copies the
// staging column of the same name.
type ColumnMapping struct {
	Column string
	Expr   string
}

// insCol is what the encoder needs to know about one column.
type insCol struct {
	name    string
	typ     Type
	kind    Kind
	notNull bool
}

// Inserter streams rows into a table with COPY ... FROM STDIN WITH
// (FORMAT HYPERBINARY). Values are encoded straight into a reused buffer.
// Add a row with typed Add calls ending with EndRow, or with AddRow,
// AddStruct or AddRows; then Close to commit, or Abort to discard.
// Nothing is visible in the table unless Close succeeds.
//
// A value that does not fit its column fails the row before anything is
// sent: EndRow (or AddRow) returns a *ValueError, the row is dropped, and
// the inserter stays usable. Errors from hyperd end the insert.
// An Inserter is not safe for concurrent use.
type Inserter struct {
	conn    *Conn
	ctx     context.Context
	target  TableName
	cols    []insCol
	buf     []byte
	flushAt int

	rowStart int
	col      int
	rowErr   *ValueError
	rows     int64 // complete rows added
	err      error // fatal error: the insert is over

	pipe   *copyPipe
	done   chan struct{}
	tag    pgconn.CommandTag
	copyEr error

	staging  *TableName
	mappings []ColumnMapping
	closed   bool
	structs  map[any]*structPlan
	progress func(rows int64)
}

// NewInserter starts inserting into table. ctx governs the whole insert,
// up to Close: when it ends, the insert is cancelled and rolled back.
func (c *Conn) NewInserter(ctx context.Context, table TableName, opts *InserterOptions) (*Inserter, error) {
	return c.newInserter(ctx, table, opts, nil)
}

// newInserter is NewInserter with the table's definition already known
// (temporary tables are not in the database's catalog).
func (c *Conn) newInserter(ctx context.Context, table TableName, opts *InserterOptions, known *TableDefinition) (*Inserter, error) {
	var o InserterOptions
	if opts != nil {
		o = *opts
	}
	if o.BufferSize < 0 {
		return nil, fmt.Errorf("%w: negative BufferSize", ErrInvalidOptions)
	}
	if o.BufferSize == 0 {
		o.BufferSize = defaultBufferSize
	}
	if (len(o.Mappings) > 0) != (len(o.Staging) > 0) {
		return nil, fmt.Errorf("%w: Staging and Mappings go together", ErrInvalidOptions)
	}
	if len(o.Mappings) > 0 && len(o.Columns) > 0 {
		return nil, fmt.Errorf("%w: Columns cannot be combined with Staging", ErrInvalidOptions)
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	ins := &Inserter{conn: c, ctx: ctx, target: table, mappings: o.Mappings, progress: o.Progress}
	copyInto := table
	columns := o.Columns
	if len(o.Staging) > 0 {
		st := TableName{Table: fmt.Sprintf("hyper_go_staging_%d", c.nextSeq())}
		def := &TableDefinition{Name: st, Columns: o.Staging}
		if err := def.validate(); err != nil {
			ins.rollback()
			return nil, err
		}
		if _, err := c.Exec(ctx, strings.Replace(def.SQL(false), "CREATE TABLE", "CREATE TEMPORARY TABLE", 1)); err != nil {
			ins.rollback()
			return nil, err
		}
		ins.staging = &st
		copyInto = st
		columns = nil
	}
	var def *TableDefinition
	if ins.staging != nil {
		def = &TableDefinition{Name: copyInto, Columns: o.Staging}
	} else if known != nil {
		def = known
	} else {
		var err error
		if def, err = c.TableDefinition(ctx, copyInto); err != nil {
			return nil, err
		}
	}
	if len(columns) == 0 {
		for _, col := range def.Columns {
			columns = append(columns, col.Name)
		}
	}
	for _, name := range columns {
		i := def.ColumnIndex(name)
		if i < 0 {
			ins.rollback()
			return nil, fmt.Errorf("%w: table %s has no column %q", ErrInvalidOptions, copyInto, name)
		}
		col := def.Columns[i]
		ins.cols = append(ins.cols, insCol{name: col.Name, typ: col.Type, kind: col.Type.Kind, notNull: col.NotNull})
	}
	quoted := make([]string, len(columns))
	for i, name := range columns {
		quoted[i] = QuoteIdent(name)
	}
	sql := "COPY " + copyInto.String() + " (" + strings.Join(quoted, ", ") + ") FROM STDIN WITH (FORMAT HYPERBINARY)"

	ins.pipe = newCopyPipe(o.BufferSize, 2)
	ins.done = make(chan struct{})
	ins.buf, _ = ins.pipe.buffer(ins.done)
	ins.flushAt = flushAt(ins.buf)
	ins.buf = append(ins.buf, copyHeader[:]...)
	ins.rowStart = len(ins.buf)
	go func() {
		defer close(ins.done)
		ins.tag, ins.copyEr = c.copyFrom(ctx, ins.pipe, sql)
	}()
	return ins, nil
}

func (c *Conn) nextSeq() int {
	c.stmtSeq++
	return c.stmtSeq
}

// Columns returns the names of the columns each row gives values for.
func (ins *Inserter) Columns() []string {
	out := make([]string, len(ins.cols))
	for i, c := range ins.cols {
		out[i] = c.name
	}
	return out
}

// Rows returns the number of complete rows added so far.
func (ins *Inserter) Rows() int64 { return ins.rows }

// EndRow finishes the current row. It returns a *ValueError (and drops the
// row) when a value did not fit or the row has too few values, and the
// insert's error once hyperd has failed it.
func (ins *Inserter) EndRow() error {
	if ins.err != nil {
		return ins.err
	}
	if ins.rowErr != nil || ins.col != len(ins.cols) {
		return ins.dropRow()
	}
	ins.col = 0
	ins.rows++
	if len(ins.buf) >= ins.flushAt {
		return ins.flush()
	}
	ins.rowStart = len(ins.buf)
	return nil
}

// dropRow discards the current row and reports why.
func (ins *Inserter) dropRow() error {
	err := ins.rowErr
	if err == nil {
		name := ""
		if ins.col < len(ins.cols) {
			name = ins.cols[ins.col].name
		}
		err = &ValueError{Column: name, Err: ErrRowLength,
			Detail: fmt.Sprintf("got %d values, the inserter has %d columns", ins.col, len(ins.cols))}
	}
	err.Row = ins.rows + 1
	ins.buf = ins.buf[:ins.rowStart]
	ins.col = 0
	ins.rowErr = nil
	return err
}

// flush hands the buffer to the COPY sender.
func (ins *Inserter) flush() error {
	if !ins.pipe.send(ins.buf, ins.done) {
		return ins.fail()
	}
	b, ok := ins.pipe.buffer(ins.done)
	if !ok {
		ins.buf = nil
		return ins.fail()
	}
	ins.buf = b
	ins.flushAt = flushAt(b)
	ins.rowStart = len(b)
	if ins.progress != nil {
		ins.progress(ins.rows)
	}
	return nil
}

// fail records the COPY's end as the inserter's fatal error.
func (ins *Inserter) fail() error {
	<-ins.done
	if ins.copyEr != nil {
		ins.err = ins.conn.wrapCtx(ins.ctx, ins.copyEr)
	} else {
		ins.err = fmt.Errorf("hyper: COPY ended early")
	}
	return ins.err
}

// Close sends the remaining rows and commits them. It returns the number
// of rows inserted. On any error nothing is left in the table.
func (ins *Inserter) Close() (int64, error) {
	if ins.closed {
		return 0, fmt.Errorf("%w: inserter", ErrClosed)
	}
	if ins.err == nil && ins.col != 0 {
		err := ins.dropRow()
		ins.Abort()
		return 0, err
	}
	if ins.err != nil {
		ins.Abort()
		return 0, ins.err
	}
	ins.closed = true
	if len(ins.buf) > copyMsgHeader && !ins.pipe.send(ins.buf, ins.done) {
		ins.fail()
		ins.rollback()
		return 0, ins.err
	}
	ins.buf = nil
	ins.pipe.finish()
	<-ins.done
	if ins.copyEr != nil {
		ins.err = ins.conn.wrapCtx(ins.ctx, ins.copyEr)
		ins.rollback()
		return 0, ins.err
	}
	n := ins.tag.RowsAffected()
	if ins.staging != nil {
		cols := make([]string, len(ins.mappings))
		exprs := make([]string, len(ins.mappings))
		for i, m := range ins.mappings {
			cols[i] = QuoteIdent(m.Column)
			exprs[i] = m.Expr
			if exprs[i] == "" {
				exprs[i] = QuoteIdent(m.Column)
			}
		}
		var err error
		n, err = ins.conn.Exec(ins.ctx, "INSERT INTO "+ins.target.String()+" ("+strings.Join(cols, ", ")+") SELECT "+
			strings.Join(exprs, ", ")+" FROM "+ins.staging.String())
		if err == nil {
			_, err = ins.conn.Exec(ins.ctx, "DROP TABLE "+ins.staging.String())
		}
		if err != nil {
			ins.err = err
			ins.rollback()
			return 0, err
		}
	}
	return n, nil
}

// Abort discards every row and ends the insert. It is safe to call after
// Close, when it does nothing.
func (ins *Inserter) Abort() {
	if ins.closed {
		return
	}
	ins.closed = true
	ins.pipe.cancel()
	<-ins.done
	ins.rollback()
}

// rollback drops the staging table, if any.
func (ins *Inserter) rollback() {
	if ins.staging != nil && ins.conn.proc.Err() == nil && !ins.conn.pg.IsClosed() {
		ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
		defer cancel()
		_, _ = ins.conn.Exec(ctx, "DROP TABLE IF EXISTS "+ins.staging.String())
	}
}
