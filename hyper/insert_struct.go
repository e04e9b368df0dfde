package hyper

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"strings"
	"time"
)

// addPointer adds the value a non-nil pointer points to, or NULL for a nil
// pointer; false if v is not a pointer.
func (ins *Inserter) addPointer(v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer {
		return ins.addReflect(rv)
	}
	if rv.IsNil() {
		ins.AddNull()
		return true
	}
	ins.AddValue(rv.Elem().Interface())
	return true
}

// addReflect adds values of named types (type Celsius float64 and such).
func (ins *Inserter) addReflect(rv reflect.Value) bool {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		ins.AddInt64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		ins.AddInt64(int64(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		ins.AddFloat64(rv.Float())
	case reflect.String:
		ins.AddString(rv.String())
	case reflect.Bool:
		ins.AddBool(rv.Bool())
	default:
		return false
	}
	return true
}

// structPlan maps an inserter's columns to the fields of one struct type.
type structPlan struct {
	fields [][]int
	enc    []func(ins *Inserter, v reflect.Value)
}

var (
	timeOfDayType = reflect.TypeFor[TimeOfDay]()
	intervalType  = reflect.TypeFor[Interval]()
)

func (ins *Inserter) planFor(t reflect.Type) (*structPlan, error) {
	if p, ok := ins.structs[t]; ok {
		return p, nil
	}
	si := structFields(t)
	p := &structPlan{}
	for _, c := range ins.cols {
		idx, ok := si.byName[strings.ToLower(c.name)]
		if !ok {
			return nil, fmt.Errorf("%w: struct %s has no field for column %q (tag a field `hyper:\"%s\"`)", ErrRowLength, t, c.name, c.name)
		}
		p.fields = append(p.fields, idx)
		p.enc = append(p.enc, encoderFor(t.FieldByIndex(idx).Type))
	}
	if ins.structs == nil {
		ins.structs = map[any]*structPlan{}
	}
	ins.structs[t] = p
	return p, nil
}

// encoderFor returns a function that adds a field of type t without
// boxing it for the common kinds.
func encoderFor(t reflect.Type) func(ins *Inserter, v reflect.Value) {
	switch t {
	case timeType:
		return func(ins *Inserter, v reflect.Value) { ins.AddTime(*(*time.Time)(v.Addr().UnsafePointer())) }
	case timeOfDayType:
		return func(ins *Inserter, v reflect.Value) { ins.AddTimeOfDay(TimeOfDay(v.Int())) }
	case intervalType:
		return func(ins *Inserter, v reflect.Value) { ins.AddInterval(*(*Interval)(v.Addr().UnsafePointer())) }
	case numericType:
		return func(ins *Inserter, v reflect.Value) { ins.AddNumeric(*(*Numeric)(v.Addr().UnsafePointer())) }
	case bigIntType, durationType:
		return func(ins *Inserter, v reflect.Value) { ins.AddValue(v.Interface()) }
	}
	switch t.Kind() {
	case reflect.Int32:
		return func(ins *Inserter, v reflect.Value) { ins.AddInt32(int32(v.Int())) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int64:
		return func(ins *Inserter, v reflect.Value) { ins.AddInt64(v.Int()) }
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return func(ins *Inserter, v reflect.Value) { ins.AddInt64(int64(v.Uint())) }
	case reflect.Float64:
		return func(ins *Inserter, v reflect.Value) { ins.AddFloat64(v.Float()) }
	case reflect.Float32:
		return func(ins *Inserter, v reflect.Value) { ins.AddFloat32(float32(v.Float())) }
	case reflect.String:
		return func(ins *Inserter, v reflect.Value) { ins.AddString(v.String()) }
	case reflect.Bool:
		return func(ins *Inserter, v reflect.Value) { ins.AddBool(v.Bool()) }
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return func(ins *Inserter, v reflect.Value) { ins.AddBytes(v.Bytes()) }
		}
	case reflect.Pointer:
		elem := encoderFor(t.Elem())
		return func(ins *Inserter, v reflect.Value) {
			if v.IsNil() {
				ins.AddNull()
				return
			}
			elem(ins, v.Elem())
		}
	}
	return func(ins *Inserter, v reflect.Value) { ins.AddValue(v.Interface()) }
}

// AddStruct adds one row from a struct or a pointer to one. Each column
// takes the field tagged `hyper:"column"`, else the field of the same
// name (case-insensitive); pointer fields give NULL when nil.
func (ins *Inserter) AddStruct(v any) error {
	if ins.err != nil {
		return ins.err
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	} else if rv.Kind() == reflect.Struct {
		p := reflect.New(rv.Type()).Elem()
		p.Set(rv)
		rv = p
	}
	if rv.Kind() != reflect.Struct {
		return fmt.Errorf("hyper: AddStruct needs a struct or a pointer to one, got %T", v)
	}
	plan, err := ins.planFor(rv.Type())
	if err != nil {
		return err
	}
	for i, idx := range plan.fields {
		plan.enc[i](ins, rv.FieldByIndex(idx))
	}
	return ins.EndRow()
}

// AddRows adds every row of a sequence, stopping at the first error (a
// *ValueError for a bad row, the sequence's own error, or the insert's).
func (ins *Inserter) AddRows(rows iter.Seq2[[]any, error]) error {
	for row, err := range rows {
		if err != nil {
			return err
		}
		if err := ins.AddRow(row...); err != nil {
			return err
		}
	}
	return nil
}

// InsertRows inserts a sequence of rows into table in one COPY and
// commits them; on any error nothing is inserted.
func (c *Conn) InsertRows(ctx context.Context, table TableName, rows iter.Seq2[[]any, error], opts *InserterOptions) (int64, error) {
	ins, err := c.NewInserter(ctx, table, opts)
	if err != nil {
		return 0, err
	}
	if err := ins.AddRows(rows); err != nil {
		ins.Abort()
		return 0, err
	}
	return ins.Close()
}

// InsertStructs inserts a sequence of structs into table (see
// Inserter.AddStruct for how fields map to columns) and commits them; on
// any error nothing is inserted.
func InsertStructs[T any](ctx context.Context, c *Conn, table TableName, rows iter.Seq[T], opts *InserterOptions) (int64, error) {
	ins, err := c.NewInserter(ctx, table, opts)
	if err != nil {
		return 0, err
	}
	for r := range rows {
		if err := ins.AddStruct(&r); err != nil {
			ins.Abort()
			return 0, err
		}
	}
	return ins.Close()
}
