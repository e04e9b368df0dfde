package hyper

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"time"
)

// scanValue decodes one value into dest. Accepted destinations: *any,
// *bool, *int, *int8, *int16, *int32, *int64, *uint32, *uint64, *float32,
// *float64, *string, *[]byte, *time.Time, *TimeOfDay, *time.Duration (TIME
// and INTERVAL without months), *Interval, *Numeric, *big.Int-free
// pointers of those (**T, set to nil on NULL) and sql.Scanner (the
// common sql.Null* types are decoded without boxing).
func scanValue(t Type, b []byte, dest any) error {
	le := binary.LittleEndian
	if n := fixedSize(t); b != nil && n != 0 && len(b) != n {
		return fmt.Errorf("%w: %s value of %d bytes, want %d", ErrMalformed, t, len(b), n)
	}
	// Fast paths without boxing.
	switch d := dest.(type) {
	case **string:
		if b == nil {
			*d = nil
			return nil
		}
		switch t.Kind {
		case KindText, KindVarchar, KindChar, KindJSON:
			s := string(b)
			*d = &s
			return nil
		}
	case **time.Time:
		if b == nil {
			*d = nil
			return nil
		}
		if tm, ok := decodeTime(t, b); ok {
			*d = &tm
			return nil
		}
	case *time.Time:
		if tm, ok := decodeTime(t, b); ok {
			*d = tm
			return nil
		}
	case *sql.NullString:
		switch t.Kind {
		case KindText, KindVarchar, KindChar, KindJSON:
			*d = sql.NullString{String: string(b), Valid: b != nil}
			return nil
		}
	case *sql.NullTime:
		if b == nil {
			*d = sql.NullTime{}
			return nil
		}
		if tm, ok := decodeTime(t, b); ok {
			*d = sql.NullTime{Time: tm, Valid: true}
			return nil
		}
	case *sql.NullInt64:
		if b == nil {
			*d = sql.NullInt64{}
			return nil
		}
		switch t.Kind {
		case KindBigInt:
			*d = sql.NullInt64{Int64: int64(le.Uint64(b)), Valid: true}
			return nil
		case KindInt:
			*d = sql.NullInt64{Int64: int64(int32(le.Uint32(b))), Valid: true}
			return nil
		}
	case *sql.NullFloat64:
		if b == nil {
			*d = sql.NullFloat64{}
			return nil
		}
		if t.Kind == KindDouble {
			*d = sql.NullFloat64{Float64: math.Float64frombits(le.Uint64(b)), Valid: true}
			return nil
		}
	}
	if b != nil {
		switch d := dest.(type) {
		case *int32:
			if t.Kind == KindInt {
				*d = int32(le.Uint32(b))
				return nil
			}
		case *int64:
			switch t.Kind {
			case KindBigInt:
				*d = int64(le.Uint64(b))
				return nil
			case KindInt:
				*d = int64(int32(le.Uint32(b)))
				return nil
			}
		case *float64:
			if t.Kind == KindDouble {
				*d = math.Float64frombits(le.Uint64(b))
				return nil
			}
		case *string:
			switch t.Kind {
			case KindText, KindVarchar, KindChar, KindJSON:
				*d = string(b)
				return nil
			}
		}
	}
	v, err := DecodeValue(t, b)
	if err != nil {
		return err
	}
	return assign(dest, v, t)
}

// decodeTime decodes DATE, TIMESTAMP and TIMESTAMPTZ without boxing.
func decodeTime(t Type, b []byte) (time.Time, bool) {
	switch {
	case b == nil:
		return time.Time{}, false
	case t.Kind == KindDate:
		return julianToTime(int64(binary.LittleEndian.Uint32(b))), true
	case t.Kind == KindTimestamp || t.Kind == KindTimestampTZ:
		return microsToTime(int64(binary.LittleEndian.Uint64(b))), true
	}
	return time.Time{}, false
}

// assign stores a decoded value into dest.
func assign(dest any, v any, t Type) error {
	if s, ok := dest.(sql.Scanner); ok {
		return s.Scan(v)
	}
	if p, ok := dest.(*any); ok {
		*p = v
		return nil
	}
	dv := reflect.ValueOf(dest)
	if dv.Kind() != reflect.Pointer || dv.IsNil() {
		return fmt.Errorf("destination %T is not a non-nil pointer", dest)
	}
	return assignValue(dv.Elem(), v, t)
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	numericType  = reflect.TypeFor[Numeric]()
	bigIntType   = reflect.TypeFor[*big.Int]()
)

func assignValue(dst reflect.Value, v any, t Type) error {
	if v == nil {
		switch dst.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Interface, reflect.Map:
			dst.SetZero()
			return nil
		}
		return fmt.Errorf("cannot store NULL in %s (use a pointer)", dst.Type())
	}
	if dst.Type() == bigIntType {
		if n, ok := v.(Numeric); ok {
			dst.Set(reflect.ValueOf(n.BigInt()))
			return nil
		}
	}
	if dst.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assignValue(dst.Elem(), v, t)
	}
	if s, ok := dst.Addr().Interface().(sql.Scanner); ok {
		return s.Scan(v)
	}
	src := reflect.ValueOf(v)
	switch {
	case src.Type().AssignableTo(dst.Type()):
		dst.Set(src)
		return nil
	case dst.Kind() == reflect.Interface && src.Type().Implements(dst.Type()):
		dst.Set(src)
		return nil
	}
	switch x := v.(type) {
	case int16, int32, int64, uint32:
		i := reflect.ValueOf(x).Convert(reflect.TypeFor[int64]()).Int()
		switch dst.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if dst.OverflowInt(i) {
				return fmt.Errorf("%s value %d overflows %s", t, i, dst.Type())
			}
			dst.SetInt(i)
			return nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if i < 0 || dst.OverflowUint(uint64(i)) {
				return fmt.Errorf("%s value %d overflows %s", t, i, dst.Type())
			}
			dst.SetUint(uint64(i))
			return nil
		case reflect.Float32, reflect.Float64:
			dst.SetFloat(float64(i))
			return nil
		}
	case float32:
		if dst.Kind() == reflect.Float64 {
			dst.SetFloat(float64(x))
			return nil
		}
	case float64:
		if dst.Kind() == reflect.Float32 {
			dst.SetFloat(x)
			return nil
		}
	case Numeric:
		switch dst.Kind() {
		case reflect.Float64, reflect.Float32:
			dst.SetFloat(x.Float64())
			return nil
		case reflect.String:
			dst.SetString(x.String())
			return nil
		case reflect.Int, reflect.Int64, reflect.Int32:
			if n, err := x.Rescale(0); err == nil && n.fitsInt64() && !dst.OverflowInt(int64(n.Lo)) {
				dst.SetInt(int64(n.Lo))
				return nil
			}
			return fmt.Errorf("NUMERIC %s does not fit %s", x, dst.Type())
		}
	case string:
		switch dst.Kind() {
		case reflect.String:
			dst.SetString(x)
			return nil
		case reflect.Slice:
			if dst.Type().Elem().Kind() == reflect.Uint8 {
				dst.SetBytes([]byte(x))
				return nil
			}
		}
	case []byte:
		if dst.Kind() == reflect.String {
			dst.SetString(string(x))
			return nil
		}
	case TimeOfDay:
		if dst.Type() == durationType {
			dst.SetInt(int64(x.Duration()))
			return nil
		}
	case Interval:
		if dst.Type() == durationType && x.Months == 0 {
			dst.SetInt(int64(time.Duration(x.Micros)*time.Microsecond + time.Duration(x.Days)*24*time.Hour))
			return nil
		}
	case bool:
		if dst.Kind() == reflect.Bool {
			dst.SetBool(x)
			return nil
		}
	}
	return fmt.Errorf("%w: cannot scan %s (Go %T) into %s", ErrWrongType, t, v, dst.Type())
}

// structInfo maps column names to struct field indexes.
type structInfo struct {
	byName map[string][]int
}

var structCache sync.Map // reflect.Type -> *structInfo

// structFields returns the field map of a struct type. A field's column
// name is its `hyper:"name"` tag, else its name; `hyper:"-"` skips it.
// Names match case-insensitively.
func structFields(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string][]int{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("hyper")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct && name == "" {
				walk(f.Type, idx)
				continue
			}
			if name == "" {
				name = f.Name
			}
			key := strings.ToLower(name)
			if _, dup := si.byName[key]; !dup {
				si.byName[key] = idx
			}
		}
	}
	walk(t, nil)
	structCache.Store(t, si)
	return si
}

// ScanStruct copies the current row into the struct dest points to,
// matching columns to fields by `hyper:"name"` tag or field name
// (case-insensitive). Columns without a field are an error.
func (r *Rows) ScanStruct(dest any) error {
	dv := reflect.ValueOf(dest)
	if dv.Kind() != reflect.Pointer || dv.IsNil() || dv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("hyper: ScanStruct needs a pointer to a struct, got %T", dest)
	}
	sv := dv.Elem()
	si := structFields(sv.Type())
	for i, f := range r.fields {
		idx, ok := si.byName[strings.ToLower(f.Name)]
		if !ok {
			return fmt.Errorf("hyper: column %q has no field in %s", f.Name, sv.Type())
		}
		fv := sv.FieldByIndex(idx)
		if err := scanValue(r.types[i], r.raw[i], fv.Addr().Interface()); err != nil {
			return fmt.Errorf("hyper: column %q: %w", f.Name, err)
		}
	}
	return nil
}
