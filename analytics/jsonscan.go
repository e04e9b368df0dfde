package analytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// quoteNonFinite rewrites the bare tokens NaN, Infinity and -Infinity that
// Python's json module writes (and JSON forbids) into the strings "NaN",
// "Infinity" and "-Infinity", which float columns accept. Text inside JSON
// strings is left alone. The input is returned unchanged when it holds no
// such token.
func quoteNonFinite(b []byte) []byte {
	if !bytes.Contains(b, []byte("NaN")) && !bytes.Contains(b, []byte("Infinity")) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			out = append(out, c)
			switch c {
			case '\\':
				if i+1 < len(b) {
					i++
					out = append(out, b[i])
				}
			case '"':
				inString = false
			}
			continue
		}
		switch {
		case c == '"':
			inString = true
			out = append(out, c)
		case bytes.HasPrefix(b[i:], []byte("NaN")):
			out = append(out, `"NaN"`...)
			i += len("NaN") - 1
		case bytes.HasPrefix(b[i:], []byte("-Infinity")):
			out = append(out, `"-Infinity"`...)
			i += len("-Infinity") - 1
		case bytes.HasPrefix(b[i:], []byte("Infinity")):
			out = append(out, `"Infinity"`...)
			i += len("Infinity") - 1
		default:
			out = append(out, c)
		}
	}
	return out
}

var errNotArray = errors.New("not a JSON array")

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanArray calls fn with the raw token of each element of the JSON array
// in b. b must already be valid JSON (json.Unmarshal validated the whole
// request); scanArray still never panics on invalid input.
func scanArray(b []byte, fn func(i int, tok []byte) error) (int, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return 0, errNotArray
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return 0, nil
	}
	n := 0
	for i < len(b) {
		start := i
		switch b[i] {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++ // closing quote
		case '[', '{':
			depth := 0
			inStr := false
			for ; i < len(b); i++ {
				c := b[i]
				if inStr {
					if c == '\\' {
						i++
					} else if c == '"' {
						inStr = false
					}
					continue
				}
				if c == '"' {
					inStr = true
				} else if c == '[' || c == '{' {
					depth++
				} else if c == ']' || c == '}' {
					depth--
					if depth == 0 {
						i++
						break
					}
				}
			}
		default:
			for i < len(b) && b[i] != ',' && b[i] != ']' && !isSpace(b[i]) {
				i++
			}
		}
		if i > len(b) {
			i = len(b)
		}
		if err := fn(n, b[start:i]); err != nil {
			return n, err
		}
		n++
		i = skipSpace(b, i)
		if i >= len(b) {
			break
		}
		if b[i] == ']' {
			return n, nil
		}
		if b[i] != ',' {
			return n, errNotArray
		}
		i = skipSpace(b, i+1)
	}
	return n, errNotArray
}

// tokenKind names a JSON token for error messages.
func tokenKind(tok []byte) string {
	if len(tok) == 0 {
		return "empty"
	}
	switch tok[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// parseFloatToken reads a float column element: a number, null (NaN), or
// the strings "NaN", "Infinity", "-Infinity".
func parseFloatToken(tok []byte) (float64, bool) {
	if len(tok) == 0 {
		return 0, false
	}
	switch tok[0] {
	case 'n':
		return math.NaN(), string(tok) == "null"
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
		f, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			// Out-of-range numbers (1e999) are reported, not silently made infinite.
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// parseStringToken reads a JSON string token.
func parseStringToken(tok []byte) (string, bool) {
	if len(tok) < 2 || tok[0] != '"' || tok[len(tok)-1] != '"' {
		return "", false
	}
	inner := tok[1 : len(tok)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return "", false
	}
	return s, true
}
