package document

import "strings"

// formulaToken is one bracketed reference in a formula: its byte range and
// its text with brackets.
type formulaToken struct {
	start, end int
	text       string
}

// formulaBrackets finds the bracketed names of a Tableau formula, skipping
// string literals and comments. "]]" inside brackets is an escaped "]".
func formulaBrackets(f string) []formulaToken {
	var out []formulaToken
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c == '\'' || c == '"':
			for i++; i < len(f); i++ {
				if f[i] == c {
					if i+1 < len(f) && f[i+1] == c {
						i++
						continue
					}
					break
				}
			}
		case c == '/' && i+1 < len(f) && f[i+1] == '/':
			j := strings.IndexByte(f[i:], '\n')
			if j < 0 {
				return out
			}
			i += j
		case c == '/' && i+1 < len(f) && f[i+1] == '*':
			j := strings.Index(f[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += 2 + j + 1
		case c == '[':
			j := i + 1
			for j < len(f) {
				if f[j] == ']' {
					if j+1 < len(f) && f[j+1] == ']' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= len(f) {
				return out
			}
			out = append(out, formulaToken{start: i, end: j + 1, text: f[i : j+1]})
			i = j
		}
	}
	return out
}

// formulaRefs returns the field references of a formula, joining
// "[Datasource].[Field]" pairs, each once, in order.
func formulaRefs(f string) []string {
	toks := formulaBrackets(f)
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(toks); i++ {
		ref := toks[i].text
		if i+1 < len(toks) && toks[i+1].start == toks[i].end+1 && f[toks[i].end] == '.' {
			ref = ref + "." + toks[i+1].text
			i++
		}
		if !seen[ref] {
			seen[ref] = true
			out = append(out, ref)
		}
	}
	return out
}

// replaceRef replaces the same-datasource reference old with new in a
// formula (not "[X].[old]" references to other datasources).
func replaceRef(f, old, new string) string {
	toks := formulaBrackets(f)
	var sb strings.Builder
	pos := 0
	for i, t := range toks {
		if t.text != old {
			continue
		}
		if i > 0 && toks[i-1].end+1 == t.start && f[toks[i-1].end] == '.' {
			continue
		}
		sb.WriteString(f[pos:t.start])
		sb.WriteString(new)
		pos = t.end
	}
	if pos == 0 {
		return f
	}
	sb.WriteString(f[pos:])
	return sb.String()
}
