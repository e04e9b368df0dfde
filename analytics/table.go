package analytics

import (
	"context"
	"fmt"
	"math"
)

// TableFunc is a table extension: it takes the input table Tableau sends
// (possibly empty) and returns a table. Register it with [Server.RegisterTable].
type TableFunc func(ctx context.Context, in Table) (Table, error)

// Table is the input or output of a table extension: named columns of
// equal length, in order.
type Table struct {
	Columns []Column
}

// Column is one named column of a [Table]. Values is a []float64,
// []int64, []int, []string, []bool, or []any whose elements are float64,
// int64, int, string, bool or nil. Input columns are []float64 when every
// value is a number or null (null becomes NaN), []string or []bool when
// every value is one, and []any otherwise (null becomes nil).
type Column struct {
	Name   string
	Values any
}

// NewTable returns a table of the columns.
func NewTable(cols ...Column) Table { return Table{Columns: cols} }

// Len returns the number of rows: the length of the first column.
func (t Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return valuesLen(t.Columns[0].Values)
}

// Column returns the column of the name.
func (t Table) Column(name string) (Column, bool) {
	for _, c := range t.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Floats returns the named column as numbers. Integer columns are
// converted; anything else is an error naming the column.
func (t Table) Floats(name string) ([]float64, error) {
	c, ok := t.Column(name)
	if !ok {
		return nil, argError("the input table has no column %q", name)
	}
	switch v := c.Values.(type) {
	case []float64:
		return v, nil
	case []int64:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out, nil
	case []int:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out, nil
	}
	return nil, argError("column %q is not numeric (%s)", name, valuesType(c.Values))
}

// Strings returns the named column as strings; anything else is an error
// naming the column.
func (t Table) Strings(name string) ([]string, error) {
	c, ok := t.Column(name)
	if !ok {
		return nil, argError("the input table has no column %q", name)
	}
	if v, ok := c.Values.([]string); ok {
		return v, nil
	}
	return nil, argError("column %q is not text (%s)", name, valuesType(c.Values))
}

func valuesLen(v any) int {
	switch c := v.(type) {
	case []float64:
		return len(c)
	case []int64:
		return len(c)
	case []int:
		return len(c)
	case []string:
		return len(c)
	case []bool:
		return len(c)
	case []any:
		return len(c)
	}
	return -1
}

func valuesType(v any) string {
	switch v.(type) {
	case []float64:
		return "numbers"
	case []int64, []int:
		return "integers"
	case []string:
		return "strings"
	case []bool:
		return "booleans"
	case []any:
		return "mixed values"
	}
	return fmt.Sprintf("%T", v)
}

// narrow turns a []any into a typed slice when every value allows it.
func narrow(vals []any) any {
	allNum, allStr, allBool := true, true, true
	for _, v := range vals {
		switch v.(type) {
		case nil:
			allStr, allBool = false, false
		case float64:
			allStr, allBool = false, false
		case string:
			allNum, allBool = false, false
		case bool:
			allNum, allStr = false, false
		}
	}
	switch {
	case allNum:
		out := make([]float64, len(vals))
		for i, v := range vals {
			if f, ok := v.(float64); ok {
				out[i] = f
			} else {
				out[i] = math.NaN()
			}
		}
		return out
	case allStr:
		out := make([]string, len(vals))
		for i, v := range vals {
			out[i] = v.(string)
		}
		return out
	case allBool:
		out := make([]bool, len(vals))
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return out
	}
	return vals
}

// appendTable writes t in Tableau's table format, checking that the
// columns are of supported types and equal lengths.
func appendTable(b []byte, t Table) ([]byte, error) {
	rows := -1
	b = append(b, '{')
	for i, c := range t.Columns {
		n := valuesLen(c.Values)
		if n < 0 {
			return b, fmt.Errorf("column %q has unsupported type %T", c.Name, c.Values)
		}
		if rows >= 0 && n != rows {
			return b, fmt.Errorf("column %q has %d values but column %q has %d; columns must have equal lengths",
				c.Name, n, t.Columns[0].Name, rows)
		}
		rows = n
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c.Name)
		b = append(b, ':')
		var err error
		if b, err = appendColumn(b, c.Values); err != nil {
			return b, fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	return append(b, '}'), nil
}
