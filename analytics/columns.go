package analytics

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is the element type of an argument or result column.
type kind int

const (
	kindFloat kind = iota + 1
	kindInt64
	kindInt
	kindString
	kindBool
)

func (k kind) String() string {
	switch k {
	case kindFloat:
		return "[]float64"
	case kindInt64:
		return "[]int64"
	case kindInt:
		return "[]int"
	case kindString:
		return "[]string"
	case kindBool:
		return "[]bool"
	}
	return "unknown"
}

// tableauType is the SCRIPT_ function whose values fit the kind.
func (k kind) tableauType() string {
	switch k {
	case kindFloat:
		return "REAL"
	case kindInt64, kindInt:
		return "INT"
	case kindString:
		return "STR"
	case kindBool:
		return "BOOL"
	}
	return ""
}

var (
	typeFloats  = reflect.TypeFor[[]float64]()
	typeInt64s  = reflect.TypeFor[[]int64]()
	typeInts    = reflect.TypeFor[[]int]()
	typeStrings = reflect.TypeFor[[]string]()
	typeBools   = reflect.TypeFor[[]bool]()
)

func kindOf(t reflect.Type) (kind, bool) {
	switch t {
	case typeFloats:
		return kindFloat, true
	case typeInt64s:
		return kindInt64, true
	case typeInts:
		return kindInt, true
	case typeStrings:
		return kindString, true
	case typeBools:
		return kindBool, true
	}
	return 0, false
}

// appendColumn appends the JSON array of a result column.
func appendColumn(b []byte, v any) ([]byte, error) {
	switch c := v.(type) {
	case []float64:
		b = append(b, '[')
		for i, f := range c {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendFloat(b, f)
		}
		return append(b, ']'), nil
	case []int64:
		b = append(b, '[')
		for i, x := range c {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, x, 10)
		}
		return append(b, ']'), nil
	case []int:
		b = append(b, '[')
		for i, x := range c {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(x), 10)
		}
		return append(b, ']'), nil
	case []string:
		b = append(b, '[')
		for i, s := range c {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case []bool:
		b = append(b, '[')
		for i, x := range c {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendBool(b, x)
		}
		return append(b, ']'), nil
	case []any:
		b = append(b, '[')
		for i, x := range c {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, x); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	return b, fmt.Errorf("analytics: unsupported result type %T", v)
}

// appendFloat writes f as JSON; NaN and infinities become null, which
// Tableau shows as a null mark (TabPy does the same with ignore_nan).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if out, ok := appendShortDecimal(b, f); ok {
		return out
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

var pow10 = [...]float64{1, 10, 100, 1000, 10000}

// appendShortDecimal writes f as a plain decimal with at most four
// decimals when such a string parses back to exactly f: it does for
// n/10^k when float64(n)/10^k == f, because both the division and parsing
// round the exact quotient to the nearest double. Trying k from 0 up gives
// the fewest digits. This is several times faster than the general
// shortest formatting for the values Tableau usually carries (counts,
// money, rates). Other values return false.
func appendShortDecimal(b []byte, f float64) ([]byte, bool) {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0"...), true
		}
		return append(b, '0'), true
	}
	if math.Abs(f) >= 1e15 || math.Abs(f) < 1e-4 {
		return b, false
	}
	for k, p := range pow10 {
		v := f * p
		if math.Abs(v) >= 1<<53 {
			return b, false
		}
		n := math.Round(v)
		// When n/p == f, v = f*p is within |n|*2.3e-16 of n (two
		// roundings); farther off, skip the division: it cannot succeed.
		if math.Abs(v-n) > math.Abs(n)*1e-15 || n/p != f {
			continue
		}
		i := int64(n)
		if k == 0 {
			return strconv.AppendInt(b, i, 10), true
		}
		// k decimals, then the point, then the integer part (at least one
		// digit), written backwards.
		u := uint64(i)
		if i < 0 {
			u = uint64(-i)
		}
		var buf [24]byte
		pos := len(buf)
		for range k {
			pos--
			buf[pos] = '0' + byte(u%10)
			u /= 10
		}
		pos--
		buf[pos] = '.'
		for {
			pos--
			buf[pos] = '0' + byte(u%10)
			u /= 10
			if u == 0 {
				break
			}
		}
		if i < 0 {
			pos--
			buf[pos] = '-'
		}
		return append(b, buf[pos:]...), true
	}
	return b, false
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case float64:
		return appendFloat(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	}
	return b, fmt.Errorf("analytics: unsupported value type %T", v)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string.
func appendString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < 0x7f {
			continue
		}
		if c >= 0x7f {
			continue // valid UTF-8 passes through
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
