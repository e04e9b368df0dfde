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
// round the exact quotient to the nearest double. The fewest decimals
// are wanted (strconv's shortest form). This is several times faster than
// the general shortest formatting for the values Tableau usually carries
// (counts, money, rates). Other values return false.
//
// Below 1e11 one try with four decimals decides: if f is the double
// nearest to n/10^k for some k ≤ 4, then f*10^4 is within 0.2 of the
// integer n*10^(4-k) (f's rounding, 1e15 × 2^-53, plus the product's,
// half an ulp of 1e15), so rounding it gives that integer, whose trailing
// zeros give back the fewest decimals; and if no k works, k = 4 does not
// either. Larger values (up to 1e15) try k from 0 up, as many decimals
// as keep f*10^k below 2^53.
func appendShortDecimal(b []byte, f float64) ([]byte, bool) {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0"...), true
		}
		return append(b, '0'), true
	}
	a := math.Abs(f)
	if a >= 1e15 || a < 1e-4 {
		return b, false
	}
	if a >= 1e11 {
		return appendShortDecimalLarge(b, f)
	}
	v := f * 1e4
	n := math.Round(v)
	// When n/1e4 == f, v is within |n|*2.3e-16 of n (two roundings);
	// farther off, skip the division: it cannot succeed.
	if math.Abs(v-n) > math.Abs(n)*1e-15 || n/1e4 != f {
		return b, false
	}
	i := int64(n)
	u := uint64(i)
	if i < 0 {
		u = uint64(-i)
	}
	k := 4
	for k > 0 && u%10 == 0 {
		u /= 10
		k--
	}
	return appendDecimalDigits(b, u, k, i < 0), true
}

// appendShortDecimalLarge is appendShortDecimal for 1e11 ≤ |f| < 1e15:
// it tries k = 0, 1, ... decimals while f*10^k stays below 2^53.
func appendShortDecimalLarge(b []byte, f float64) ([]byte, bool) {
	for k, p := range pow10 {
		v := f * p
		if math.Abs(v) >= 1<<53 {
			return b, false
		}
		n := math.Round(v)
		if math.Abs(v-n) > math.Abs(n)*1e-15 || n/p != f {
			continue
		}
		i := int64(n)
		u := uint64(i)
		if i < 0 {
			u = uint64(-i)
		}
		return appendDecimalDigits(b, u, k, i < 0), true
	}
	return b, false
}

// appendDecimalDigits writes u/10^k with k decimals (none and no point
// for k = 0, at least one integer digit), negated when neg.
func appendDecimalDigits(b []byte, u uint64, k int, neg bool) []byte {
	var buf [24]byte
	pos := len(buf)
	if k > 0 {
		for range k {
			pos--
			buf[pos] = '0' + byte(u%10)
			u /= 10
		}
		pos--
		buf[pos] = '.'
	}
	for u >= 100 {
		q := u / 100
		d := (u - q*100) * 2
		pos -= 2
		buf[pos], buf[pos+1] = digitPairs[d], digitPairs[d+1]
		u = q
	}
	if u >= 10 {
		pos -= 2
		buf[pos], buf[pos+1] = digitPairs[u*2], digitPairs[u*2+1]
	} else {
		pos--
		buf[pos] = '0' + byte(u)
	}
	if neg {
		pos--
		buf[pos] = '-'
	}
	return append(b, buf[pos:]...)
}

const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

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
