package analytics

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// FunctionOptions describe a registered function. A nil *FunctionOptions is allowed.
type FunctionOptions struct {
	// Description is shown by GET /endpoints. Default: "".
	Description string
	// Params names the column parameters, in order. Names let clients
	// call /query/{name} with {"data": {"param": [...]}} and appear in the
	// endpoint's docstring. Default: _arg1, _arg2, ... (the names Tableau uses).
	Params []string
}

// function is one registered endpoint.
type function struct {
	name        string
	description string
	params      []string
	kinds       []kind // parameter kinds; nil for a table function
	result      kind
	withCtx     bool
	fn          reflect.Value
	table       TableFunc
	created     time.Time
}

var (
	typeContext = reflect.TypeFor[context.Context]()
	typeError   = reflect.TypeFor[error]()
	validName   = regexp.MustCompile(`^[A-Za-z0-9_\- ]+$`)
)

// newFunction checks fn's signature: an optional context.Context, then any
// number of column parameters ([]float64, []int64, []int, []string,
// []bool), returning one column and an error.
func newFunction(name string, fn any, opts *FunctionOptions) (*function, error) {
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("%w: name %q: use letters, digits, '_', '-' and spaces (TabPy's rule)", ErrInvalidFunction, name)
	}
	v := reflect.ValueOf(fn)
	if fn == nil || v.Kind() != reflect.Func || v.IsNil() {
		return nil, fmt.Errorf("%w: %s: %T is not a function", ErrInvalidFunction, name, fn)
	}
	t := v.Type()
	if t.IsVariadic() {
		return nil, fmt.Errorf("%w: %s: variadic functions are not supported", ErrInvalidFunction, name)
	}
	f := &function{name: name, fn: v}
	in := 0
	if t.NumIn() > 0 && t.In(0) == typeContext {
		f.withCtx = true
		in = 1
	}
	for i := in; i < t.NumIn(); i++ {
		k, ok := kindOf(t.In(i))
		if !ok {
			return nil, fmt.Errorf("%w: %s: parameter %d is %s; use []float64, []int64, []int, []string or []bool",
				ErrInvalidFunction, name, i+1, t.In(i))
		}
		f.kinds = append(f.kinds, k)
	}
	if t.NumOut() != 2 || t.Out(1) != typeError {
		return nil, fmt.Errorf("%w: %s: must return (column, error)", ErrInvalidFunction, name)
	}
	k, ok := kindOf(t.Out(0))
	if !ok {
		return nil, fmt.Errorf("%w: %s: result is %s; use []float64, []int64, []int, []string or []bool",
			ErrInvalidFunction, name, t.Out(0))
	}
	f.result = k
	if err := f.applyOptions(opts, len(f.kinds)); err != nil {
		return nil, err
	}
	return f, nil
}

func newTableFunction(name string, fn TableFunc, opts *FunctionOptions) (*function, error) {
	if !validName.MatchString(name) {
		return nil, fmt.Errorf("%w: name %q: use letters, digits, '_', '-' and spaces (TabPy's rule)", ErrInvalidFunction, name)
	}
	if fn == nil {
		return nil, fmt.Errorf("%w: %s: nil table function", ErrInvalidFunction, name)
	}
	f := &function{name: name, table: fn}
	if err := f.applyOptions(opts, 1); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *function) applyOptions(opts *FunctionOptions, n int) error {
	if opts != nil {
		f.description = opts.Description
		if opts.Params != nil {
			if len(opts.Params) != n {
				return fmt.Errorf("%w: %s: %d parameter names for %d parameters", ErrInvalidFunction, f.name, len(opts.Params), n)
			}
			f.params = append([]string(nil), opts.Params...)
		}
	}
	if f.params == nil {
		for i := range n {
			f.params = append(f.params, fmt.Sprintf("_arg%d", i+1))
		}
	}
	return nil
}

// docstring describes the signature, shown by GET /endpoints.
func (f *function) docstring() string {
	if f.table != nil {
		return fmt.Sprintf("%s(%s table) -> table", f.name, f.params[0])
	}
	var b strings.Builder
	b.WriteString(f.name)
	b.WriteByte('(')
	for i, p := range f.params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
		b.WriteByte(' ')
		b.WriteString(f.kinds[i].String())
	}
	b.WriteString(") -> ")
	b.WriteString(f.result.String())
	b.WriteString(" (SCRIPT_")
	b.WriteString(f.result.tableauType())
	b.WriteByte(')')
	return b.String()
}

// callArgs are the decoded, checked arguments of one call.
type callArgs struct {
	in    []reflect.Value // column arguments (without the context)
	rows  int             // common length, -1 without arguments
	table Table
}

// decode converts the JSON arguments into the function's parameter types
// and checks their count, types and lengths. names are the argument names
// for messages (the script's _argN); nil means the parameter names.
func (f *function) decode(args [][]byte, names []string, memo *floatMemo) (callArgs, error) {
	if f.table != nil {
		var v []byte
		switch len(args) {
		case 0:
		case 1:
			v = args[0]
		default:
			return callArgs{}, argError("%s is a table extension and takes one table argument, got %d arguments", f.name, len(args))
		}
		name := "_arg1"
		if len(names) > 0 {
			name = names[0]
		}
		t, err := decodeTable(v, name)
		return callArgs{table: t, rows: -1}, err
	}
	if len(args) != len(f.kinds) {
		return callArgs{}, argError("%s takes %d argument(s) (%s), got %d", f.name, len(f.kinds), strings.Join(f.params, ", "), len(args))
	}
	ca := callArgs{in: make([]reflect.Value, 0, len(args)), rows: -1}
	first := ""
	for i, v := range args {
		name := f.params[i]
		if names != nil {
			name = names[i]
		}
		col, n, err := decodeColumn(v, f.kinds[i], name, memo)
		if err != nil {
			return callArgs{}, err
		}
		if ca.rows >= 0 && n != ca.rows {
			return callArgs{}, argError("arguments have different lengths: %s has %d values but %s has %d", name, n, first, ca.rows)
		}
		if ca.rows < 0 {
			first = name
		}
		ca.rows = n
		ca.in = append(ca.in, reflect.ValueOf(col))
	}
	return ca, nil
}

// run calls the function and returns the JSON of its result, checking
// that it has one value or one per row. The server runs it in a goroutine
// bounded by the timeout and guarded against panics.
func (f *function) run(ctx context.Context, ca callArgs, dst []byte) ([]byte, error) {
	if f.table != nil {
		out, err := f.table(ctx, ca.table)
		if err != nil {
			return nil, err
		}
		b, err := appendTable(dst, out)
		if err != nil {
			return nil, &Error{Status: 500, Message: "Error processing script",
				Info: fmt.Sprintf("%s returned an invalid table: %v", f.name, err)}
		}
		return b, nil
	}
	in := ca.in
	if f.withCtx {
		in = append([]reflect.Value{reflect.ValueOf(ctx)}, in...)
	}
	out := f.fn.Call(in)
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	res := out[0]
	if ca.rows >= 0 && res.Len() != 1 && res.Len() != ca.rows {
		return nil, &Error{Status: 500, Message: "Error processing script",
			Info: fmt.Sprintf("%s returned %d values for %d rows; a function must return one value or one per row", f.name, res.Len(), ca.rows)}
	}
	return appendColumn(dst, res.Interface())
}
