package analytics

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/valyala/fastjson"
)

// The request decoder works in two steps. validateBody checks the whole
// body as strict JSON (fastjson.ValidateBytes). Everything after that works
// on slices of the validated bytes: it finds members and elements by
// skipping over values, and converts only the arguments a function takes,
// straight into typed slices, with no tree of interface values in between.
// Because the bytes are valid JSON, the skipping code can be simple; it
// still never reads past the end of its input.

// validateBody turns Python's NaN and Infinity tokens into strings (see
// quoteNonFinite) and checks that the body is valid JSON.
func validateBody(body []byte, memo *floatMemo) ([]byte, *Error) {
	body = quoteNonFinite(body)
	if strictJSON(body, memo) {
		// Valid JSON for certain (the common case, in one pass); anything
		// else goes through the general validators and their messages.
		return trimSpace(body), nil
	}
	if err := fastjson.ValidateBytes(body); err != nil {
		return nil, badRequest("Failed to decode input body", "invalid JSON: "+err.Error())
	}
	// fastjson lets raw control characters through inside strings, which
	// JSON forbids. Bodies with any byte below 0x20 (pretty-printed ones
	// too) are checked again by encoding/json, which is strict.
	if hasControl(body) && !json.Valid(body) {
		var v any
		err := json.Unmarshal(body, &v)
		return nil, badRequest("Failed to decode input body", fmt.Sprintf("invalid JSON: %v", err))
	}
	return trimSpace(body), nil
}

// hasControl reports whether b has a byte below 0x20, eight bytes at a time.
func hasControl(b []byte) bool {
	const lo, hi = 0x2020202020202020, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		// A byte is below 0x20 when subtracting 0x20 borrows into its top bit
		// and its own top bit was clear.
		if (x-lo)&^x&hi != 0 {
			return true
		}
	}
	for ; i < len(b); i++ {
		if b[i] < 0x20 {
			return true
		}
	}
	return false
}

// structural marks the bytes that matter when skipping over a container.
var structural = [256]bool{'"': true, '[': true, ']': true, '{': true, '}': true}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func trimSpace(b []byte) []byte {
	i := skipSpace(b, 0)
	j := len(b)
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// skipString returns the index after the string that starts at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '[':
		if end, ok := skipFlatArray(b, i); ok {
			return end
		}
		return skipContainer(b, i)
	case '{':
		return skipContainer(b, i)
	}
	for i < len(b) && b[i] != ',' && b[i] != ']' && b[i] != '}' && !isSpace(b[i]) {
		i++
	}
	return i
}

// skipFlatArray skips an array of numbers, literals and nothing else (the
// common argument) with a few vectorised byte searches: the first ']' ends
// it when no string or container starts before it.
func skipFlatArray(b []byte, i int) (int, bool) {
	j := bytes.IndexByte(b[i+1:], ']')
	if j < 0 {
		return 0, false
	}
	span := b[i+1 : i+1+j]
	if bytes.IndexByte(span, '"') >= 0 || bytes.IndexByte(span, '[') >= 0 || bytes.IndexByte(span, '{') >= 0 {
		return 0, false
	}
	return i + 1 + j + 1, true
}

// skipContainer skips the array or object that starts at b[i].
func skipContainer(b []byte, i int) int {
	for i++; i < len(b); {
		for i < len(b) && !structural[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '"':
			i = skipString(b, i)
		case '[', '{':
			i = skipValue(b, i)
		default: // ']' or '}'
			return i + 1
		}
	}
	return len(b)
}

// arrayElements returns the raw elements of the array b.
func arrayElements(b []byte) [][]byte {
	var out [][]byte
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != ']' {
		j := skipValue(b, i)
		out = append(out, b[i:j])
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return out
}

type member struct {
	key string
	val []byte
}

// objectMembers returns the members of the object b, in order.
func objectMembers(b []byte) []member {
	var out []member
	i := skipSpace(b, 1)
	for i < len(b) && b[i] == '"' {
		j := skipString(b, i)
		key, _ := rawString(b[i:j])
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ':' {
			i = skipSpace(b, i+1)
		}
		j = skipValue(b, i)
		out = append(out, member{key, b[i:j]})
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return out
}

// lookupMember returns the value of the last member called key (the one
// encoding/json and Python keep), or nil.
func lookupMember(ms []member, key string) []byte {
	var v []byte
	for _, m := range ms {
		if m.key == key {
			v = m.val
		}
	}
	return v
}

// rawString decodes a JSON string token.
func rawString(tok []byte) (string, bool) {
	if len(tok) < 2 || tok[0] != '"' || tok[len(tok)-1] != '"' {
		return "", false
	}
	inner := tok[1 : len(tok)-1]
	escape, high := false, false
	for _, c := range inner {
		escape = escape || c == '\\'
		high = high || c >= 0x80
	}
	if escape || (high && !utf8.Valid(inner)) {
		// encoding/json resolves escapes and replaces invalid UTF-8 with U+FFFD.
		var s string
		if err := json.Unmarshal(tok, &s); err != nil {
			return "", false
		}
		return s, true
	}
	return string(inner), true
}

func isNull(b []byte) bool { return len(b) == 4 && string(b) == "null" }

// typeName names a JSON value's type for error messages.
func typeName(b []byte) string {
	if b == nil {
		return "missing"
	}
	if len(b) == 0 {
		return "empty"
	}
	switch b[0] {
	case '"':
		return fmt.Sprintf("a string (%s)", shorten(string(b)))
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if _, err := strconv.ParseFloat(string(b), 64); errors.Is(err, strconv.ErrRange) {
		return fmt.Sprintf("a number beyond float64's range (%s)", shorten(string(b)))
	}
	return fmt.Sprintf("a number (%s)", shorten(string(b)))
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func elemError(name string, row int, tok []byte, want string) error {
	return argError("%s[%d] is %s; expected %s", name, row, typeName(tok), want)
}

// unsafeString views b as a string for parsing, without copying; the
// string must not outlive the call that receives it.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// floatValue reads a float column element: a number, null (NaN), or the
// strings "NaN", "Infinity", "-Infinity".
func floatValue(tok []byte) (float64, bool) {
	if len(tok) == 0 {
		return 0, false
	}
	switch tok[0] {
	case 'n':
		return math.NaN(), isNull(tok)
	case '"':
		switch string(tok) {
		case `"NaN"`:
			return math.NaN(), true
		case `"Infinity"`:
			return math.Inf(1), true
		case `"-Infinity"`:
			return math.Inf(-1), true
		}
		return 0, false
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if f, ok := parseSimpleDecimal(tok); ok {
			return f, true
		}
		f, err := strconv.ParseFloat(unsafeString(tok), 64)
		if err != nil {
			// Out-of-range numbers (1e999) are reported, not made infinite.
			return 0, false
		}
		return f, true
	}
	return 0, false
}

var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseSimpleDecimal parses numbers like -123.45 without an exponent whose
// digits fit in 15 decimal places: the digits form an integer m < 2^53 and
// m / 10^k, both exact in float64, is one correctly rounded division, the
// same result strconv.ParseFloat gives (Clinger's fast path). Anything
// else returns false for strconv to handle.
func parseSimpleDecimal(tok []byte) (float64, bool) {
	i, neg := 0, false
	if tok[0] == '-' {
		neg, i = true, 1
	}
	var m uint64
	digits, frac := 0, -1
	for ; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || frac == 0 {
		return 0, false
	}
	f := float64(m)
	if frac > 0 {
		f /= exactPow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

func intValue(tok []byte) (int64, bool) {
	if len(tok) == 0 || !(tok[0] == '-' || (tok[0] >= '0' && tok[0] <= '9')) {
		return 0, false
	}
	if n, err := strconv.ParseInt(unsafeString(tok), 10, 64); err == nil {
		return n, true
	}
	// Tableau may send integral values as 3.0.
	f, err := strconv.ParseFloat(unsafeString(tok), 64)
	if err != nil || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// decodeColumn decodes a JSON array into a slice of the kind. name is the
// argument's name for error messages. null becomes NaN in float columns
// and is refused elsewhere.
func decodeColumn(b []byte, k kind, name string, memo *floatMemo) (any, int, error) {
	if len(b) == 0 || b[0] != '[' {
		return nil, 0, argError("%s must be an array of values, got %s", name, typeName(b))
	}
	if k == kindFloat {
		if out, ok := memo.take(b); ok {
			return out, len(out), nil
		}
		if out, ok := decodeFloatsFast(b); ok {
			return out, len(out), nil
		}
	}
	// Elements are read in place, without collecting them first.
	i := skipSpace(b, 1)
	next := func() ([]byte, bool) {
		if i >= len(b) || b[i] == ']' {
			return nil, false
		}
		j := skipValue(b, i)
		tok := b[i:j]
		i = skipSpace(b, j)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		return tok, true
	}
	// Every element but the last is followed by a comma: exact for
	// numbers, an overestimate when strings hold commas.
	hint := bytes.Count(b, []byte{','}) + 1
	switch k {
	case kindFloat:
		out := make([]float64, 0, hint)
		for tok, ok := next(); ok; tok, ok = next() {
			f, ok := floatValue(tok)
			if !ok {
				return nil, len(out), elemError(name, len(out), tok, "a number or null")
			}
			out = append(out, f)
		}
		return out, len(out), nil
	case kindInt64, kindInt:
		out := make([]int64, 0, hint)
		for tok, ok := next(); ok; tok, ok = next() {
			x, ok := intValue(tok)
			if !ok {
				return nil, len(out), elemError(name, len(out), tok, "an integer")
			}
			out = append(out, x)
		}
		if k == kindInt {
			ints := make([]int, len(out))
			for i, x := range out {
				ints[i] = int(x)
			}
			return ints, len(ints), nil
		}
		return out, len(out), nil
	case kindString:
		out := make([]string, 0, hint/4)
		for tok, ok := next(); ok; tok, ok = next() {
			s, ok := rawString(tok)
			if !ok {
				return nil, len(out), elemError(name, len(out), tok, "a string")
			}
			out = append(out, s)
		}
		return out, len(out), nil
	case kindBool:
		out := make([]bool, 0, hint)
		for tok, ok := next(); ok; tok, ok = next() {
			switch string(tok) {
			case "true":
				out = append(out, true)
			case "false":
				out = append(out, false)
			default:
				return nil, len(out), elemError(name, len(out), tok, "true or false")
			}
		}
		return out, len(out), nil
	}
	return nil, 0, argError("%s: unsupported column type", name)
}

// decodeTable reads Tableau's table format: {"col": [values], ...}, in
// column order.
func decodeTable(b []byte, name string) (Table, error) {
	if b == nil || isNull(b) {
		return Table{}, nil
	}
	if b[0] != '{' {
		return Table{}, argError("%s must be a table (an object of columns), got %s", name, typeName(b))
	}
	var t Table
	rows := -1
	for _, m := range objectMembers(b) {
		values, n, err := decodeAnyColumn(m.val, fmt.Sprintf("%s[%q]", name, m.key))
		if err != nil {
			return Table{}, err
		}
		if rows >= 0 && n != rows {
			return Table{}, argError("%s: column %q has %d values but column %q has %d; columns must have equal lengths",
				name, m.key, n, t.Columns[0].Name, rows)
		}
		rows = n
		t.Columns = append(t.Columns, Column{Name: m.key, Values: values})
	}
	return t, nil
}

// decodeAnyColumn infers the column type from the values.
func decodeAnyColumn(b []byte, name string) (any, int, error) {
	if len(b) == 0 || b[0] != '[' {
		return nil, 0, argError("%s must be an array of values, got %s", name, typeName(b))
	}
	elems := arrayElements(b)
	vals := make([]any, len(elems))
	for i, e := range elems {
		switch e[0] {
		case 'n':
			vals[i] = nil
		case 't':
			vals[i] = true
		case 'f':
			vals[i] = false
		case '"':
			s, ok := rawString(e)
			if !ok {
				return nil, 0, elemError(name, i, e, "a string")
			}
			vals[i] = s
		case '[', '{':
			return nil, 0, elemError(name, i, e, "a number, string, boolean or null")
		default:
			f, ok := floatValue(e)
			if !ok {
				return nil, 0, elemError(name, i, e, "a number within range")
			}
			vals[i] = f
		}
	}
	return narrow(vals), len(elems), nil
}
