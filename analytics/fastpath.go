package analytics

import (
	"bytes"
	"math"
	"unsafe"
)

// The fast paths below handle the common request in fewer passes over its
// bytes. Each one answers only when it is certain; otherwise it reports
// false and the general code runs, so that results and error messages are
// the same whichever path a request takes.

// maxFastDepth bounds the nesting strictJSON accepts; deeper bodies go to
// the general validator (fastjson allows 300).
const maxFastDepth = 64

// strictJSON reports whether b is one valid JSON value (RFC 8259) with
// optional surrounding whitespace, nested at most maxFastDepth deep. It
// accepts a subset of what the general validator accepts: false means
// "not sure", never "invalid".
//
// With a memo, arrays of numbers and nulls at the depth of arguments
// ({"data": [[...], ...]} and {"data": {"_arg1": [...], ...}}) are decoded
// as they are validated, in the same pass, and kept in the memo for
// decodeColumn.
func strictJSON(b []byte, memo *floatMemo) bool {
	var stack [maxFastDepth]byte // open containers: '[' or '{'
	depth := 0
	i := skipSpace(b, 0)
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return false
		}
		switch c := b[i]; c {
		case '{', '[':
			if c == '[' && depth == 2 && memo != nil {
				if vals, end, ok := scanFloats(b, i); ok {
					memo.add(b[i:end], vals)
					i = end
					goto afterValue
				}
			}
			if depth == maxFastDepth {
				return false
			}
			stack[depth] = c
			depth++
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' or ']' right away
				depth--
				i++
				goto afterValue
			}
			if c == '{' {
				if i = objectKey(b, i); i < 0 {
					return false
				}
			}
			continue
		case '"':
			if i = strictString(b, i); i < 0 {
				return false
			}
		case 't':
			if !bytes.HasPrefix(b[i:], []byte("true")) {
				return false
			}
			i += 4
		case 'f':
			if !bytes.HasPrefix(b[i:], []byte("false")) {
				return false
			}
			i += 5
		case 'n':
			if !bytes.HasPrefix(b[i:], []byte("null")) {
				return false
			}
			i += 4
		default:
			if i = strictNumber(b, i); i < 0 {
				return false
			}
		}
	afterValue:
		// After a value: a separator, the end of containers, or the end.
	closing:
		for {
			i = skipSpace(b, i)
			if depth == 0 {
				return i == len(b)
			}
			if i >= len(b) {
				return false
			}
			open := stack[depth-1]
			switch b[i] {
			case ',':
				i = skipSpace(b, i+1)
				if open == '{' {
					if i = objectKey(b, i); i < 0 {
						return false
					}
				}
			case open + 2:
				depth--
				i++
				continue
			default:
				return false
			}
			break closing
		}
	}
}

// objectKey reads `"key" :` at b[i] and returns the index of the value
// after it, or -1.
func objectKey(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	if i = strictString(b, i); i < 0 {
		return -1
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return -1
	}
	return skipSpace(b, i+1)
}

// strictString returns the index after the valid JSON string at b[i] ==
// '"', or -1: no raw control characters, only JSON's escapes. Bytes of
// 0x80 and above pass as they do in the general validator.
func strictString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			return i + 1
		case c < 0x20:
			return -1
		case c == '\\':
			i++
			if i >= len(b) {
				return -1
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return -1
				}
				for _, h := range b[i+1 : i+5] {
					if !isHex(h) {
						return -1
					}
				}
				i += 4
			default:
				return -1
			}
		}
	}
	return -1
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// strictNumber returns the index after the JSON number at b[i], or -1:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func strictNumber(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return -1
	}
	switch {
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return -1
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	return i
}

// floatMemo holds the float arrays strictJSON decoded, by position.
type floatMemo struct {
	arrays [4]memoArray
	n      int
}

type memoArray struct {
	raw  []byte
	vals []float64
}

func (m *floatMemo) add(raw []byte, vals []float64) {
	if m.n < len(m.arrays) {
		m.arrays[m.n] = memoArray{raw, vals}
		m.n++
	}
}

// take returns the values decoded from exactly the bytes raw (the same
// position in the same body), once.
func (m *floatMemo) take(raw []byte) ([]float64, bool) {
	if m == nil || len(raw) == 0 {
		return nil, false
	}
	for i := range m.n {
		a := &m.arrays[i]
		if a.vals != nil && len(a.raw) == len(raw) && unsafe.SliceData(a.raw) == unsafe.SliceData(raw) {
			vals := a.vals
			a.vals = nil // a function may modify its argument
			return vals, true
		}
	}
	return nil, false
}

// decodeFloatsFast decodes a validated JSON array of numbers and nulls
// into float64s in one pass (see scanFloats). It reports false for
// anything else: decodeColumn then decodes the array the general way,
// with its error messages.
func decodeFloatsFast(b []byte) ([]float64, bool) {
	vals, end, ok := scanFloats(b, 0)
	return vals, ok && end == len(b)
}

// scanFloats validates and decodes the array at b[i] when it holds only
// numbers in strict JSON syntax and nulls, parsing each number as it
// finds its end, and returns the values and the index after the array.
// It reports false for anything else (strings, nested values, exponents,
// numbers that need strconv): the general code handles those.
func scanFloats(b []byte, i int) ([]float64, int, bool) {
	if i >= len(b) || b[i] != '[' {
		return nil, 0, false
	}
	// A flat array ends at the first ']'; every element but the last is
	// followed by a comma.
	j := bytes.IndexByte(b[i:], ']')
	if j < 0 {
		return nil, 0, false
	}
	out := make([]float64, 0, bytes.Count(b[i:i+j], []byte{','})+1)
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return out, i + 1, true
	}
	for i < len(b) {
		c := b[i]
		if c == 'n' {
			if !bytes.HasPrefix(b[i:], []byte("null")) {
				return nil, 0, false
			}
			out = append(out, math.NaN())
			i += 4
		} else {
			// parseSimpleDecimal's fast path, finding the number's end as it
			// goes: -?(0|[1-9][0-9]*)(\.[0-9]+)? with at most 15 digits.
			neg := c == '-'
			if neg {
				i++
			}
			var m uint64
			start := i
			for i < len(b) && b[i]-'0' <= 9 {
				m = m*10 + uint64(b[i]-'0')
				i++
			}
			digits, frac := i-start, 0
			if digits == 0 || digits > 1 && b[start] == '0' {
				return nil, 0, false
			}
			if i < len(b) && b[i] == '.' {
				i++
				fstart := i
				for i < len(b) && b[i]-'0' <= 9 {
					m = m*10 + uint64(b[i]-'0')
					i++
				}
				if frac = i - fstart; frac == 0 {
					return nil, 0, false
				}
				digits += frac
			}
			if digits > 15 {
				return nil, 0, false
			}
			f := float64(m)
			if frac > 0 {
				f /= exactPow10[frac]
			}
			if neg {
				f = -f
			}
			out = append(out, f)
		}
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return nil, 0, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return out, i + 1, true
		default: // an exponent, or anything else
			return nil, 0, false
		}
	}
	return nil, 0, false
}
