package analytics

import (
	"fmt"
	"strconv"
	"strings"
)

// script is a parsed /evaluate script. This server runs no code: it
// understands exactly two forms.
//
//	return tabpy.query('name', _arg1, _arg2)['response']   // call a registered function
//	return int(1)                                           // Tableau's connection test
type script struct {
	probe bool
	name  string
	args  []int // argument numbers: _arg2 is 2
}

// supportedScripts is the info of the 400 answer to any other script.
const supportedScripts = "this analytics extension runs registered functions, not Python code; " +
	"supported scripts are: return tabpy.query('<function>', _arg1, _arg2, ...)['response'] " +
	"(see GET /endpoints for the functions) and return int(1)"

type scriptParser struct {
	s   string
	pos int
}

func (p *scriptParser) space() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// lit consumes the literal, after optional space.
func (p *scriptParser) lit(want string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.pos:], want) {
		p.pos += len(want)
		return true
	}
	return false
}

// quoted consumes a '...' or "..." string without escapes.
func (p *scriptParser) quoted() (string, bool) {
	p.space()
	if p.pos >= len(p.s) || (p.s[p.pos] != '\'' && p.s[p.pos] != '"') {
		return "", false
	}
	q := p.s[p.pos]
	end := strings.IndexByte(p.s[p.pos+1:], q)
	if end < 0 {
		return "", false
	}
	v := p.s[p.pos+1 : p.pos+1+end]
	if strings.ContainsAny(v, "\\\n") {
		return "", false
	}
	p.pos += end + 2
	return v, true
}

// argRef consumes _argN.
func (p *scriptParser) argRef() (int, bool) {
	p.space()
	if !strings.HasPrefix(p.s[p.pos:], "_arg") {
		return 0, false
	}
	i := p.pos + 4
	j := i
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j == i || j-i > 6 || (j < len(p.s) && isIdentChar(p.s[j])) {
		return 0, false
	}
	n, err := strconv.Atoi(p.s[i:j])
	if err != nil || n < 1 {
		return 0, false
	}
	p.pos = j
	return n, true
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *scriptParser) end() bool {
	p.lit(";")
	p.space()
	return p.pos == len(p.s)
}

// parseScript parses an /evaluate script, or returns a 400 *Error that
// lists the supported forms.
func parseScript(src string) (script, error) {
	if strings.TrimSpace(src) == "" {
		return script{}, badRequest("Script is empty.", supportedScripts)
	}
	p := &scriptParser{s: src}
	unsupported := func() (script, error) {
		shown := strings.TrimSpace(src)
		if len(shown) > 120 {
			shown = shown[:120] + "..."
		}
		return script{}, badRequest("Unsupported script", fmt.Sprintf("%s; got %q", supportedScripts, shown))
	}
	if !p.lit("return") || p.pos >= len(p.s) || isIdentChar(p.s[p.pos]) {
		return unsupported()
	}
	start := p.pos
	if p.lit("int") && p.lit("(") && p.lit("1") && p.lit(")") && p.end() {
		return script{probe: true}, nil
	}
	p.pos = start
	if !p.lit("tabpy") || !p.lit(".") || !p.lit("query") || !p.lit("(") {
		return unsupported()
	}
	name, ok := p.quoted()
	if !ok || !validName.MatchString(name) {
		return unsupported()
	}
	var sc script
	sc.name = name
	for {
		if p.lit(")") {
			break
		}
		if !p.lit(",") {
			return unsupported()
		}
		if p.lit(")") { // trailing comma
			break
		}
		n, ok := p.argRef()
		if !ok {
			return unsupported()
		}
		sc.args = append(sc.args, n)
	}
	if !p.lit("[") {
		return unsupported()
	}
	if key, ok := p.quoted(); !ok || key != "response" {
		return unsupported()
	}
	if !p.lit("]") || !p.end() {
		return unsupported()
	}
	return sc, nil
}
