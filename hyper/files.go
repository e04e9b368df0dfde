package hyper

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// FileOptions configures CopyFromFile and CreateTableFromFile. A nil
// *FileOptions uses every default.
type FileOptions struct {
	// Format is "csv" or "parquet". Default: from the file's extension
	// (.parquet is Parquet, anything else CSV).
	Format string
	// NoHeader says a CSV file has no header line. Default: false (the
	// first line names the columns and is skipped).
	NoHeader bool
	// Delimiter separates CSV fields. Default: ",".
	Delimiter string
	// Null is the CSV text that means NULL. Default: the empty field.
	Null string
	// Columns are the table columns the file's fields fill, in order.
	// Default: all columns in table order.
	Columns []string
}

func (o *FileOptions) resolve(path string) (FileOptions, error) {
	var r FileOptions
	if o != nil {
		r = *o
	}
	if r.Format == "" {
		if strings.EqualFold(filepath.Ext(path), ".parquet") {
			r.Format = "parquet"
		} else {
			r.Format = "csv"
		}
	}
	r.Format = strings.ToLower(r.Format)
	if r.Format != "csv" && r.Format != "parquet" {
		return r, fmt.Errorf("%w: file format %q (want csv or parquet)", ErrInvalidOptions, r.Format)
	}
	if r.Delimiter == "" {
		r.Delimiter = ","
	}
	if len([]rune(r.Delimiter)) != 1 {
		return r, fmt.Errorf("%w: CSV delimiter %q must be one character", ErrInvalidOptions, r.Delimiter)
	}
	return r, nil
}

// withClause returns the WITH (...) options of COPY for the format.
func (o FileOptions) withClause() string {
	if o.Format == "parquet" {
		return "FORMAT parquet"
	}
	s := "FORMAT csv, HEADER " + fmt.Sprint(!o.NoHeader) + ", DELIMITER " + QuoteLiteral(o.Delimiter)
	if o.Null != "" {
		s += ", NULL " + QuoteLiteral(o.Null)
	}
	return s
}

// CopyFromFile has hyperd read a CSV or Parquet file itself (COPY table
// FROM 'file'): the fastest way to load a file, since no row passes
// through this process. path must be readable by hyperd; a relative path
// is made absolute first. It returns the number of rows loaded.
func (c *Conn) CopyFromFile(ctx context.Context, table TableName, path string, opts *FileOptions) (int64, error) {
	o, err := opts.resolve(path)
	if err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, fmt.Errorf("hyper: %w", err)
	}
	cols := ""
	if len(o.Columns) > 0 {
		q := make([]string, len(o.Columns))
		for i, c := range o.Columns {
			q[i] = QuoteIdent(c)
		}
		cols = " (" + strings.Join(q, ", ") + ")"
	}
	return c.Exec(ctx, "COPY "+table.String()+cols+" FROM "+QuoteLiteral(abs)+" WITH ("+o.withClause()+")")
}

// CreateTableFromFile creates table with the columns and rows of a CSV or
// Parquet file (CREATE TABLE ... AS SELECT * FROM external(...)). Parquet
// files carry their schema; CSV column types are inferred by hyperd from
// the header and data. It returns the number of rows loaded.
func (c *Conn) CreateTableFromFile(ctx context.Context, table TableName, path string, opts *FileOptions) (int64, error) {
	o, err := opts.resolve(path)
	if err != nil {
		return 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, fmt.Errorf("hyper: %w", err)
	}
	if table.Schema != "" && table.Schema != "public" {
		if err := c.CreateSchema(ctx, table.Database, table.Schema); err != nil {
			return 0, err
		}
	}
	ext := "external(" + QuoteLiteral(abs) + ", format => " + QuoteLiteral(o.Format)
	if o.Format == "csv" {
		ext += ", header => " + fmt.Sprint(!o.NoHeader) + ", delimiter => " + QuoteLiteral(o.Delimiter)
	}
	ext += ")"
	if _, err := c.Exec(ctx, "CREATE TABLE "+table.String()+" AS SELECT * FROM "+ext); err != nil {
		return 0, err
	}
	var n int64
	err = c.QueryRow(ctx, "SELECT COUNT(*) FROM "+table.String()).Scan(&n)
	return n, err
}
