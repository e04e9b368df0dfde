package document

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"fmt"
	"strings"
	"unicode/utf8"
)

// node is one element of the skeleton index built by scan: where the
// element lies in the original bytes and how it links to its relatives.
// Attributes and text are not decoded until something asks for them.
type node struct {
	name     string
	start    int32 // offset of '<'
	headEnd  int32 // offset just after the start tag's '>'
	end      int32 // offset just after the end tag (== headEnd when self-closing)
	parent   int32 // -1 for the root
	first    int32 // first child element, -1 if none
	last     int32 // last child element, -1 if none
	next     int32 // next sibling element, -1 if none
	selfShut bool
}

// scanLimits bounds what scan accepts.
type scanLimits struct {
	maxDepth int
}

// scanner builds the skeleton of an XML document in one pass over its bytes.
// It checks well-formedness (balanced, matching tags, quoted attributes,
// known entities, valid characters) so that any element's bytes can later be
// parsed on their own.
type scanner struct {
	src    []byte
	nodes  []node
	names  map[string]string
	limits scanLimits
}

// scan indexes src. The returned nodes hold the root at index 0.
func scan(src []byte, limits scanLimits) ([]node, error) {
	if len(src) > 1<<31-1 {
		return nil, fmt.Errorf("%w: document of %d bytes is larger than 2 GiB", ErrLimit, len(src))
	}
	s := &scanner{src: src, names: make(map[string]string, 256), limits: limits}
	s.nodes = make([]node, 0, len(src)/64+16)
	if err := s.run(); err != nil {
		return nil, err
	}
	return s.nodes, nil
}

func (s *scanner) errAt(off int, format string, args ...any) error {
	return &SyntaxError{Offset: int64(off), Line: lineOf(s.src, off), Msg: fmt.Sprintf(format, args...)}
}

// lineOf returns the 1-based line number of off in src.
func lineOf(src []byte, off int) int {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(src[:off], []byte{'\n'}) + 1
}

func (s *scanner) intern(b []byte) string {
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	v := string(b)
	s.names[v] = v
	return v
}

func (s *scanner) run() error {
	src := s.src
	pos := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		pos = 3
	}
	if err := s.checkChars(pos); err != nil {
		return err
	}
	stack := make([]int32, 0, 64)
	rootSeen := false
	for {
		i := bytes.IndexByte(src[pos:], '<')
		textEnd := len(src)
		if i >= 0 {
			textEnd = pos + i
		}
		if textEnd > pos {
			if len(stack) == 0 {
				if len(bytes.TrimLeft(src[pos:textEnd], " \t\r\n")) != 0 {
					return s.errAt(pos, "text outside the root element")
				}
			} else {
				if err := s.checkEntities(pos, textEnd, false); err != nil {
					return err
				}
				if k := bytes.Index(src[pos:textEnd], []byte("]]>")); k >= 0 {
					return s.errAt(pos+k, "\"]]>\" in text outside a CDATA section")
				}
			}
		}
		if i < 0 {
			break
		}
		p := textEnd
		if p+1 >= len(src) {
			return s.errAt(p, "unexpected end of document after '<'")
		}
		switch c := src[p+1]; {
		case c == '?':
			j := bytes.Index(src[p+2:], []byte("?>"))
			if j < 0 {
				return s.errAt(p, "unterminated processing instruction")
			}
			if err := s.procInst(p, src[p+2:p+2+j], len(stack) == 0 && !rootSeen); err != nil {
				return err
			}
			pos = p + 2 + j + 2
		case c == '!':
			rest := src[p:]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				j := bytes.Index(src[p+4:], []byte("-->"))
				if j < 0 {
					return s.errAt(p, "unterminated comment")
				}
				if body := src[p+4 : p+4+j]; bytes.Contains(body, []byte("--")) || bytes.HasSuffix(body, []byte("-")) {
					return s.errAt(p, "\"--\" inside a comment")
				}
				pos = p + 4 + j + 3
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				if len(stack) == 0 {
					return s.errAt(p, "CDATA section outside the root element")
				}
				j := bytes.Index(src[p+9:], []byte("]]>"))
				if j < 0 {
					return s.errAt(p, "unterminated CDATA section")
				}
				pos = p + 9 + j + 3
			case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
				if len(stack) > 0 || rootSeen {
					return s.errAt(p, "DOCTYPE inside or after the root element")
				}
				j := bytes.IndexByte(src[p:], '>')
				if j < 0 {
					return s.errAt(p, "unterminated DOCTYPE")
				}
				if bytes.IndexByte(src[p:p+j], '[') >= 0 {
					return s.errAt(p, "DOCTYPE with an internal subset is not accepted")
				}
				pos = p + j + 1
			default:
				return s.errAt(p, "unknown markup declaration")
			}
		case c == '/':
			if len(stack) == 0 {
				return s.errAt(p, "end tag without a start tag")
			}
			q := p + 2
			ns := q
			for q < len(src) && isNameByte(src[q]) {
				q++
			}
			name := src[ns:q]
			for q < len(src) && isSpace(src[q]) {
				q++
			}
			if q >= len(src) || src[q] != '>' {
				return s.errAt(p, "malformed end tag")
			}
			top := stack[len(stack)-1]
			if s.nodes[top].name != string(name) {
				return s.errAt(p, "end tag </%s> does not match <%s>", safeName(name), s.nodes[top].name)
			}
			s.nodes[top].end = int32(q + 1)
			stack = stack[:len(stack)-1]
			pos = q + 1
		default:
			if len(stack) == 0 && rootSeen {
				return s.errAt(p, "a second root element")
			}
			next, idx, err := s.startTag(p, stack)
			if err != nil {
				return err
			}
			rootSeen = true
			pos = next
			if !s.nodes[idx].selfShut {
				if s.limits.maxDepth > 0 && len(stack) >= s.limits.maxDepth {
					return s.errAt(p, "elements nest deeper than %d levels", s.limits.maxDepth)
				}
				stack = append(stack, idx)
			}
		}
	}
	if len(stack) > 0 {
		return s.errAt(len(src), "unexpected end of document: <%s> is not closed", s.nodes[stack[len(stack)-1]].name)
	}
	if !rootSeen {
		return s.errAt(len(src), "no root element")
	}
	return nil
}

// procInst checks a processing instruction: its target must be a name, and
// the XML declaration may only come first and must not declare an encoding
// other than UTF-8.
func (s *scanner) procInst(p int, body []byte, prolog bool) error {
	q := 0
	for q < len(body) && isNameByte(body[q]) {
		q++
	}
	if q == 0 || !isNameStart(body[0]) {
		return s.errAt(p, "processing instruction without a target name")
	}
	if q < len(body) && !isSpace(body[q]) {
		return s.errAt(p, "malformed processing instruction")
	}
	if err := s.checkName(body[:q], p); err != nil {
		return err
	}
	if !strings.EqualFold(string(body[:q]), "xml") {
		return nil
	}
	start := 0
	if bytes.HasPrefix(s.src, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	if !prolog || p != start || string(body[:q]) != "xml" {
		return s.errAt(p, "XML declaration not at the start of the document")
	}
	for _, a := range parseHead(append([]byte("<x "), body[q:]...)) {
		switch a.key {
		case "version":
			if a.value != "1.0" {
				return s.errAt(p, "XML version %q is not supported", a.value)
			}
		case "encoding":
			if e := strings.ToLower(a.value); e != "utf-8" && e != "utf8" {
				return s.errAt(p, "encoding %q is not supported; Tableau files are UTF-8", a.value)
			}
		}
	}
	return nil
}

func safeName(b []byte) string {
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

// startTag parses the start tag at p and appends its node.
func (s *scanner) startTag(p int, stack []int32) (int, int32, error) {
	src := s.src
	q := p + 1
	ns := q
	for q < len(src) && isNameByte(src[q]) {
		q++
	}
	if q == ns || !isNameStart(src[ns]) {
		return 0, 0, s.errAt(p, "malformed start tag")
	}
	if err := s.checkName(src[ns:q], p); err != nil {
		return 0, 0, err
	}
	name := s.intern(src[ns:q])
	selfShut := false
	for {
		sp := q
		for q < len(src) && isSpace(src[q]) {
			q++
		}
		if q >= len(src) {
			return 0, 0, s.errAt(p, "unterminated start tag <%s>", name)
		}
		if src[q] == '>' {
			q++
			break
		}
		if src[q] == '/' {
			if q+1 < len(src) && src[q+1] == '>' {
				selfShut = true
				q += 2
				break
			}
			return 0, 0, s.errAt(q, "malformed start tag <%s>", name)
		}
		if sp == q {
			return 0, 0, s.errAt(q, "attributes of <%s> must be separated by white space", name)
		}
		as := q
		for q < len(src) && isNameByte(src[q]) {
			q++
		}
		if q == as || !isNameStart(src[as]) {
			return 0, 0, s.errAt(q, "malformed attribute in <%s>", name)
		}
		if err := s.checkName(src[as:q], as); err != nil {
			return 0, 0, err
		}
		for q < len(src) && isSpace(src[q]) {
			q++
		}
		if q >= len(src) || src[q] != '=' {
			return 0, 0, s.errAt(q, "attribute %s of <%s> has no value", safeName(src[as:q]), name)
		}
		q++
		for q < len(src) && isSpace(src[q]) {
			q++
		}
		if q >= len(src) || (src[q] != '\'' && src[q] != '"') {
			return 0, 0, s.errAt(q, "attribute value in <%s> is not quoted", name)
		}
		quote := src[q]
		j := bytes.IndexByte(src[q+1:], quote)
		if j < 0 {
			return 0, 0, s.errAt(q, "unterminated attribute value in <%s>", name)
		}
		vs, ve := q+1, q+1+j
		if bytes.IndexByte(src[vs:ve], '<') >= 0 {
			return 0, 0, s.errAt(vs, "'<' in an attribute value of <%s>", name)
		}
		if err := s.checkEntities(vs, ve, true); err != nil {
			return 0, 0, err
		}
		q = ve + 1
	}
	parent := int32(-1)
	if len(stack) > 0 {
		parent = stack[len(stack)-1]
	}
	idx := int32(len(s.nodes))
	n := node{name: name, start: int32(p), headEnd: int32(q), parent: parent, first: -1, last: -1, next: -1, selfShut: selfShut}
	if selfShut {
		n.end = int32(q)
	}
	s.nodes = append(s.nodes, n)
	if parent >= 0 {
		pn := &s.nodes[parent]
		if pn.last >= 0 {
			s.nodes[pn.last].next = idx
		} else {
			pn.first = idx
		}
		pn.last = idx
	}
	return q, idx, nil
}

// checkName verifies a name with non-ASCII characters or colons the way encoding/xml
// (which later parses changed elements) does, once per distinct name.
func (s *scanner) checkName(b []byte, off int) error {
	plain := true
	for _, c := range b {
		if c >= utf8.RuneSelf || c == ':' {
			plain = false
			break
		}
	}
	if plain {
		return nil
	}
	if _, ok := s.names[string(b)]; ok {
		return nil
	}
	if !utf8.Valid(b) {
		return s.errAt(off, "invalid UTF-8 in a name")
	}
	d := xml.NewDecoder(bytes.NewReader(append(append([]byte("<"), b...), "/>"...)))
	if _, err := d.RawToken(); err != nil {
		return s.errAt(off, "invalid XML name %q", safeName(b))
	}
	s.intern(b)
	return nil
}

// checkEntities verifies that every '&' in src[from:to] starts a known
// entity or a valid character reference.
func (s *scanner) checkEntities(from, to int, _ bool) error {
	b := s.src[from:to]
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return nil
		}
		off := to - len(b) + i
		rest := b[i+1:]
		j := bytes.IndexByte(rest, ';')
		if j < 0 || j > 12 {
			return s.errAt(off, "'&' that does not start an entity")
		}
		if _, ok := decodeEntity(rest[:j]); !ok {
			return s.errAt(off, "unknown entity &%s;", safeName(rest[:j]))
		}
		b = rest[j+1:]
	}
}

// checkChars verifies UTF-8 and that every character is allowed in XML.
func (s *scanner) checkChars(from int) error {
	src := s.src
	for i := from; i < len(src); {
		// Fast path: eight printable ASCII bytes at a time.
		if i+8 <= len(src) {
			x := binary.LittleEndian.Uint64(src[i:])
			if x&0x8080808080808080 == 0 && (x-0x2020202020202020)&^x&0x8080808080808080 == 0 {
				i += 8
				continue
			}
		}
		c := src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return s.errAt(i, "control character 0x%02x is not allowed in XML", c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size == 1 {
			return s.errAt(i, "invalid UTF-8")
		}
		if !isXMLChar(r) {
			return s.errAt(i, "character U+%04X is not allowed in XML", r)
		}
		i += size
	}
	return nil
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// decodeEntity decodes the name between '&' and ';'.
func decodeEntity(name []byte) (string, bool) {
	switch string(name) {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "apos":
		return "'", true
	case "quot":
		return "\"", true
	}
	if len(name) < 2 || name[0] != '#' {
		return "", false
	}
	var r rune
	digits := name[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base = 16
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return "", false
	}
	for _, c := range digits {
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return "", false
		}
		r = r*base + v
	}
	if !isXMLChar(r) {
		return "", false
	}
	return string(r), true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '_' || c == ':' || c == '-' || c == '.':
		return true
	case c >= 0x80:
		return true
	}
	return false
}

func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}
