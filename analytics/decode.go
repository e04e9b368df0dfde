package analytics

import (
	"fmt"
	"math"

	"github.com/valyala/fastjson"
)

// parseBody validates the request as strict JSON (Python's NaN and
// Infinity tokens are first turned into strings, see quoteNonFinite) and
// parses it with a pooled fastjson parser. The returned values live until
// release is called.
func (s *Server) parseBody(body []byte) (*fastjson.Value, func(), *Error) {
	body = quoteNonFinite(body)
	if err := fastjson.ValidateBytes(body); err != nil {
		return nil, nil, badRequest("Failed to decode input body", "invalid JSON: "+err.Error())
	}
	p := s.parsers.Get()
	v, err := p.ParseBytes(body)
	if err != nil {
		s.parsers.Put(p)
		return nil, nil, badRequest("Failed to decode input body", "invalid JSON: "+err.Error())
	}
	return v, func() { s.parsers.Put(p) }, nil
}

// typeName names a JSON value's type for error messages.
func typeName(v *fastjson.Value) string {
	if v == nil {
		return "missing"
	}
	switch v.Type() {
	case fastjson.TypeString:
		return fmt.Sprintf("a string (%s)", shorten(v.String()))
	case fastjson.TypeNumber:
		return fmt.Sprintf("a number (%s)", shorten(v.String()))
	case fastjson.TypeArray:
		return "an array"
	case fastjson.TypeObject:
		return "an object"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "a boolean"
	case fastjson.TypeNull:
		return "null"
	}
	return v.Type().String()
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func elemError(name string, row int, v *fastjson.Value, want string) error {
	return argError("%s[%d] is %s; expected %s", name, row, typeName(v), want)
}

// floatValue reads a float column element: a number, null (NaN), or the
// strings "NaN", "Infinity", "-Infinity".
func floatValue(v *fastjson.Value) (float64, bool) {
	switch v.Type() {
	case fastjson.TypeNumber:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			// Out-of-range numbers (1e999) are reported, not made infinite.
			return 0, false
		}
		return f, true
	case fastjson.TypeNull:
		return math.NaN(), true
	case fastjson.TypeString:
		switch string(v.GetStringBytes()) {
		case "NaN":
			return math.NaN(), true
		case "Infinity":
			return math.Inf(1), true
		case "-Infinity":
			return math.Inf(-1), true
		}
	}
	return 0, false
}

func intValue(v *fastjson.Value) (int64, bool) {
	if v.Type() != fastjson.TypeNumber {
		return 0, false
	}
	if n, err := v.Int64(); err == nil {
		return n, true
	}
	// Tableau may send integral values as 3.0.
	f, err := v.Float64()
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// decodeColumn decodes a JSON array into a slice of the kind. name is the
// argument's name for error messages. null becomes NaN in float columns
// and is refused elsewhere.
func decodeColumn(v *fastjson.Value, k kind, name string) (any, int, error) {
	if v == nil || v.Type() != fastjson.TypeArray {
		return nil, 0, argError("%s must be an array of values, got %s", name, typeName(v))
	}
	arr, _ := v.Array()
	n := len(arr)
	switch k {
	case kindFloat:
		out := make([]float64, n)
		for i, e := range arr {
			f, ok := floatValue(e)
			if !ok {
				return nil, n, elemError(name, i, e, "a number or null")
			}
			out[i] = f
		}
		return out, n, nil
	case kindInt64, kindInt:
		out := make([]int64, n)
		for i, e := range arr {
			x, ok := intValue(e)
			if !ok {
				return nil, n, elemError(name, i, e, "an integer")
			}
			out[i] = x
		}
		if k == kindInt {
			ints := make([]int, n)
			for i, x := range out {
				ints[i] = int(x)
			}
			return ints, n, nil
		}
		return out, n, nil
	case kindString:
		out := make([]string, n)
		for i, e := range arr {
			if e.Type() != fastjson.TypeString {
				return nil, n, elemError(name, i, e, "a string")
			}
			out[i] = string(e.GetStringBytes())
		}
		return out, n, nil
	case kindBool:
		out := make([]bool, n)
		for i, e := range arr {
			b, err := e.Bool()
			if err != nil {
				return nil, n, elemError(name, i, e, "true or false")
			}
			out[i] = b
		}
		return out, n, nil
	}
	return nil, 0, argError("%s: unsupported column type", name)
}

// decodeTable reads Tableau's table format: {"col": [values], ...}, in
// column order.
func decodeTable(v *fastjson.Value, name string) (Table, error) {
	if v == nil || v.Type() == fastjson.TypeNull {
		return Table{}, nil
	}
	obj, err := v.Object()
	if err != nil {
		return Table{}, argError("%s must be a table (an object of columns), got %s", name, typeName(v))
	}
	var t Table
	rows := -1
	obj.Visit(func(key []byte, cv *fastjson.Value) {
		if err != nil {
			return
		}
		col := string(key)
		var values any
		var n int
		values, n, err = decodeAnyColumn(cv, fmt.Sprintf("%s[%q]", name, col))
		if err != nil {
			return
		}
		if rows >= 0 && n != rows {
			err = argError("%s: column %q has %d values but column %q has %d; columns must have equal lengths",
				name, col, n, t.Columns[0].Name, rows)
			return
		}
		rows = n
		t.Columns = append(t.Columns, Column{Name: col, Values: values})
	})
	if err != nil {
		return Table{}, err
	}
	return t, nil
}

// decodeAnyColumn infers the column type from the values.
func decodeAnyColumn(v *fastjson.Value, name string) (any, int, error) {
	if v.Type() != fastjson.TypeArray {
		return nil, 0, argError("%s must be an array of values, got %s", name, typeName(v))
	}
	arr, _ := v.Array()
	vals := make([]any, len(arr))
	for i, e := range arr {
		switch e.Type() {
		case fastjson.TypeNull:
			vals[i] = nil
		case fastjson.TypeTrue:
			vals[i] = true
		case fastjson.TypeFalse:
			vals[i] = false
		case fastjson.TypeString:
			vals[i] = string(e.GetStringBytes())
		case fastjson.TypeNumber:
			f, ok := floatValue(e)
			if !ok {
				return nil, 0, elemError(name, i, e, "a number within range")
			}
			vals[i] = f
		default:
			return nil, 0, elemError(name, i, e, "a number, string, boolean or null")
		}
	}
	return narrow(vals), len(arr), nil
}
