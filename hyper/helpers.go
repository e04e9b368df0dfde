package hyper

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"
)

// stage copies rows into a new temporary table shaped like def and
// returns its name and a function that drops it. Temporary tables are
// created outside any transaction because hyperd does not mix DDL and DML
// in one.
func (c *Conn) stage(ctx context.Context, def *TableDefinition, rows iter.Seq2[[]any, error]) (TableName, func(), int64, error) {
	st := TableName{Table: fmt.Sprintf("hyper_go_stage_%d", c.nextSeq())}
	sd := &TableDefinition{Name: st, Columns: def.Columns}
	if _, err := c.Exec(ctx, strings.Replace(sd.SQL(false), "CREATE TABLE", "CREATE TEMPORARY TABLE", 1)); err != nil {
		return TableName{}, nil, 0, err
	}
	drop := func() {
		if c.check() != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
		defer cancel()
		_, _ = c.Exec(ctx, "DROP TABLE IF EXISTS "+st.String())
	}
	ins, err := c.newInserter(ctx, st, nil, sd)
	if err != nil {
		drop()
		return TableName{}, nil, 0, err
	}
	if err := ins.AddRows(rows); err != nil {
		ins.Abort()
		drop()
		return TableName{}, nil, 0, err
	}
	n, err := ins.Close()
	if err != nil {
		drop()
		return TableName{}, nil, 0, err
	}
	return st, drop, n, nil
}

// keyMatch returns "t.k1 = s.k1 AND ..." (NULL keys never match).
func keyMatch(def *TableDefinition, keys []string) (string, error) {
	if len(keys) == 0 {
		return "", fmt.Errorf("%w: no key columns", ErrInvalidOptions)
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		if def.ColumnIndex(k) < 0 {
			return "", fmt.Errorf("%w: table %s has no key column %q", ErrInvalidOptions, def.Name, k)
		}
		parts[i] = "t." + QuoteIdent(k) + " = s." + QuoteIdent(k)
	}
	return strings.Join(parts, " AND "), nil
}

func columnList(def *TableDefinition, prefix string) string {
	parts := make([]string, len(def.Columns))
	for i, col := range def.Columns {
		parts[i] = prefix + QuoteIdent(col.Name)
	}
	return strings.Join(parts, ", ")
}

// InsertNew inserts the rows (one value per table column, in table order)
// whose key columns match no existing row, and returns how many it
// inserted. Rows go through a temporary table and one INSERT ... SELECT,
// so the table gets all new rows or none.
func (c *Conn) InsertNew(ctx context.Context, table TableName, keys []string, rows iter.Seq2[[]any, error]) (int64, error) {
	def, err := c.TableDefinition(ctx, table)
	if err != nil {
		return 0, err
	}
	match, err := keyMatch(def, keys)
	if err != nil {
		return 0, err
	}
	st, drop, _, err := c.stage(ctx, def, rows)
	if err != nil {
		return 0, err
	}
	defer drop()
	return c.Exec(ctx, "INSERT INTO "+table.String()+" ("+columnList(def, "")+") SELECT "+columnList(def, "s.")+
		" FROM "+st.String()+" s WHERE NOT EXISTS (SELECT 1 FROM "+table.String()+" t WHERE "+match+")")
}

// HighWaterMark returns the largest value of column in table (nil when
// the table is empty): fetch only source rows above it, then insert them.
func (c *Conn) HighWaterMark(ctx context.Context, table TableName, column string) (any, error) {
	return c.QueryScalar(ctx, "SELECT MAX("+QuoteIdent(column)+") FROM "+table.String())
}

// InsertAboveHighWaterMark inserts the rows whose column value is above
// the table's current maximum (all rows when the table is empty) and
// returns how many it inserted, in one INSERT ... SELECT.
func (c *Conn) InsertAboveHighWaterMark(ctx context.Context, table TableName, column string, rows iter.Seq2[[]any, error]) (int64, error) {
	def, err := c.TableDefinition(ctx, table)
	if err != nil {
		return 0, err
	}
	if def.ColumnIndex(column) < 0 {
		return 0, fmt.Errorf("%w: table %s has no column %q", ErrInvalidOptions, table, column)
	}
	st, drop, _, err := c.stage(ctx, def, rows)
	if err != nil {
		return 0, err
	}
	defer drop()
	q := QuoteIdent(column)
	mark := "(SELECT MAX(" + q + ") FROM " + table.String() + ")"
	return c.Exec(ctx, "INSERT INTO "+table.String()+" ("+columnList(def, "")+") SELECT "+columnList(def, "s.")+
		" FROM "+st.String()+" s WHERE "+mark+" IS NULL OR s."+q+" > "+mark)
}

// UpsertResult counts what Upsert did.
type UpsertResult struct {
	Deleted  int64 // existing rows replaced
	Inserted int64 // rows written (replacements and new rows)
}

// Upsert writes the rows (one value per table column, in table order),
// replacing existing rows with the same key: it stages the rows, then in
// one transaction deletes the matching rows and inserts the staged ones.
func (c *Conn) Upsert(ctx context.Context, table TableName, keys []string, rows iter.Seq2[[]any, error]) (UpsertResult, error) {
	var res UpsertResult
	def, err := c.TableDefinition(ctx, table)
	if err != nil {
		return res, err
	}
	match, err := keyMatch(def, keys)
	if err != nil {
		return res, err
	}
	st, drop, _, err := c.stage(ctx, def, rows)
	if err != nil {
		return res, err
	}
	defer drop()
	err = c.Tx(ctx, func(ctx context.Context) error {
		var err error
		res.Deleted, err = c.Exec(ctx, "DELETE FROM "+table.String()+" t WHERE EXISTS (SELECT 1 FROM "+st.String()+" s WHERE "+match+")")
		if err != nil {
			return err
		}
		res.Inserted, err = c.Exec(ctx, "INSERT INTO "+table.String()+" ("+columnList(def, "")+") SELECT "+columnList(def, "s.")+" FROM "+st.String()+" s")
		return err
	})
	if err != nil {
		return UpsertResult{}, err
	}
	return res, nil
}

// RollingWindowResult counts what RollingWindow did.
type RollingWindowResult struct {
	Deleted  int64
	Inserted int64
}

// RollingWindow keeps the last days days of data: in one transaction it
// deletes the rows whose dateColumn is before asOf minus days (by calendar
// date) and appends the new rows (one value per table column).
func (c *Conn) RollingWindow(ctx context.Context, table TableName, dateColumn string, days int, asOf time.Time, rows iter.Seq2[[]any, error]) (RollingWindowResult, error) {
	var res RollingWindowResult
	if days < 1 {
		return res, fmt.Errorf("%w: RollingWindow needs days >= 1, got %d", ErrInvalidOptions, days)
	}
	y, m, d := asOf.Date()
	cutoff := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -(days - 1))
	err := c.Tx(ctx, func(ctx context.Context) error {
		var err error
		res.Deleted, err = c.Exec(ctx, "DELETE FROM "+table.String()+" WHERE "+QuoteIdent(dateColumn)+" < $1", cutoff.Format("2006-01-02"))
		if err != nil {
			return err
		}
		ins, err := c.NewInserter(ctx, table, nil)
		if err != nil {
			return err
		}
		if err := ins.AddRows(rows); err != nil {
			ins.Abort()
			return err
		}
		res.Inserted, err = ins.Close()
		return err
	})
	if err != nil {
		return RollingWindowResult{}, err
	}
	return res, nil
}

// ReadTable reads a whole table into memory as decoded rows. Use
// StreamTable for tables too big for that.
func (c *Conn) ReadTable(ctx context.Context, table TableName) ([][]any, error) {
	var out [][]any
	for row, err := range c.StreamTable(ctx, table) {
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// StreamTable yields a table's rows one at a time as decoded values.
func (c *Conn) StreamTable(ctx context.Context, table TableName) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		rows, err := c.Query(ctx, "SELECT * FROM "+table.String())
		if err != nil {
			yield(nil, err)
			return
		}
		for v, err := range rows.All() {
			if !yield(v, err) {
				return
			}
		}
	}
}

// Stream runs a query and yields each row scanned into a T (see
// Rows.ScanStruct), closing the result at the end and stopping the query
// on the server (Rows.Stop) when the loop ends early.
func Stream[T any](ctx context.Context, c *Conn, sql string, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		rows, err := c.Query(ctx, sql, args...)
		if err != nil {
			yield(zero, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var v T
			if err := rows.ScanStruct(&v); err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				rows.Stop()
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, err)
		}
	}
}

// Collect runs a query and returns every row scanned into a T.
func Collect[T any](ctx context.Context, c *Conn, sql string, args ...any) ([]T, error) {
	var out []T
	for v, err := range Stream[T](ctx, c, sql, args...) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// RowsOf turns a slice of rows into the sequence the
// inserting helpers take.
func RowsOf(rows [][]any) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}
