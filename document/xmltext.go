package document

import (
	"bytes"
	"strings"

	"github.com/beevik/etree"
)

// attr is one decoded attribute of a start tag.
type attr struct {
	key, value string
}

// parseHead decodes the attributes of a start tag the scanner already
// checked, so it does not validate again.
func parseHead(b []byte) []attr {
	// Skip '<' and the name.
	q := 1
	for q < len(b) && isNameByte(b[q]) {
		q++
	}
	var out []attr
	for q < len(b) {
		for q < len(b) && isSpace(b[q]) {
			q++
		}
		if q >= len(b) || b[q] == '>' || b[q] == '/' {
			break
		}
		ks := q
		for q < len(b) && isNameByte(b[q]) {
			q++
		}
		key := string(b[ks:q])
		for q < len(b) && b[q] != '\'' && b[q] != '"' {
			q++
		}
		if q >= len(b) {
			break
		}
		quote := b[q]
		j := bytes.IndexByte(b[q+1:], quote)
		if j < 0 {
			break
		}
		out = append(out, attr{key: key, value: unescape(b[q+1:q+1+j], true)})
		q = q + 1 + j + 1
	}
	return out
}

// headAttr returns one attribute of a start tag without decoding the rest.
func headAttr(b []byte, key string) (string, bool) {
	for _, a := range parseHead(b) {
		if a.key == key {
			return a.value, true
		}
	}
	return "", false
}

// unescape decodes entities; in attribute values it also normalizes white
// space characters to spaces as XML requires.
func unescape(b []byte, isAttr bool) string {
	if bytes.IndexByte(b, '&') < 0 && (!isAttr || !bytes.ContainsAny(b, "\t\n\r")) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '&':
			j := bytes.IndexByte(b[i+1:], ';')
			if j >= 0 {
				if s, ok := decodeEntity(b[i+1 : i+1+j]); ok {
					sb.WriteString(s)
					i += j + 1
					continue
				}
			}
			sb.WriteByte(c)
		case isAttr && (c == '\t' || c == '\n'):
			sb.WriteByte(' ')
		case c == '\r':
			// XML end-of-line handling: \r\n and lone \r become \n (a space in attributes).
			if i+1 < len(b) && b[i+1] == '\n' {
				continue
			}
			if isAttr {
				sb.WriteByte(' ')
			} else {
				sb.WriteByte('\n')
			}
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// innerText decodes the character data of src (text and CDATA sections),
// ignoring comments, processing instructions and child elements' markup but
// including their text.
func innerText(src []byte) string {
	var sb strings.Builder
	for len(src) > 0 {
		i := bytes.IndexByte(src, '<')
		if i < 0 {
			sb.WriteString(unescape(src, false))
			break
		}
		sb.WriteString(unescape(src[:i], false))
		src = src[i:]
		switch {
		case bytes.HasPrefix(src, []byte("<![CDATA[")):
			j := bytes.Index(src, []byte("]]>"))
			if j < 0 {
				return sb.String()
			}
			sb.Write(src[9:j])
			src = src[j+3:]
		case bytes.HasPrefix(src, []byte("<!--")):
			j := bytes.Index(src, []byte("-->"))
			if j < 0 {
				return sb.String()
			}
			src = src[j+3:]
		case bytes.HasPrefix(src, []byte("<?")):
			j := bytes.Index(src, []byte("?>"))
			if j < 0 {
				return sb.String()
			}
			src = src[j+2:]
		default:
			j := bytes.IndexByte(src, '>')
			if j < 0 {
				return sb.String()
			}
			// Skip quoted '>' inside attribute values.
			k := 0
			for k < len(src) {
				c := src[k]
				if c == '\'' || c == '"' {
					e := bytes.IndexByte(src[k+1:], c)
					if e < 0 {
						return sb.String()
					}
					k += e + 2
					continue
				}
				if c == '>' {
					break
				}
				k++
			}
			if k >= len(src) {
				return sb.String()
			}
			src = src[k+1:]
		}
	}
	return sb.String()
}

// escapeAttr escapes an attribute value the way Tableau writes them, for
// single-quoted attributes.
func escapeAttr(sb *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			sb.WriteString("&amp;")
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '\'':
			sb.WriteString("&apos;")
		case '"':
			sb.WriteString("&quot;")
		case '\n':
			sb.WriteString("&#10;")
		case '\r':
			sb.WriteString("&#13;")
		case '\t':
			sb.WriteString("&#9;")
		default:
			sb.WriteByte(c)
		}
	}
}

func escapeText(sb *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			sb.WriteString("&amp;")
		case '<':
			sb.WriteString("&lt;")
		case '>':
			sb.WriteString("&gt;")
		case '\r':
			sb.WriteString("&#13;")
		default:
			sb.WriteByte(c)
		}
	}
}

func fullName(space, tag string) string {
	if space == "" {
		return tag
	}
	return space + ":" + tag
}

// writeHead writes the start tag of e; shut makes it self-closing.
func writeHead(b *bytes.Buffer, e *etree.Element, shut bool) {
	b.WriteByte('<')
	b.WriteString(fullName(e.Space, e.Tag))
	for _, a := range e.Attr {
		b.WriteByte(' ')
		b.WriteString(fullName(a.Space, a.Key))
		b.WriteString("='")
		escapeAttr(b, a.Value)
		b.WriteByte('\'')
	}
	if shut {
		b.WriteString(" />")
	} else {
		b.WriteByte('>')
	}
}

// writeElement serializes e. Where an element has element children but no
// character data at all (it was built in memory), its children are indented
// below it starting from indent; otherwise its own white space is kept.
func writeElement(b *bytes.Buffer, e *etree.Element, indent string) {
	if len(e.Child) == 0 {
		writeHead(b, e, true)
		return
	}
	writeHead(b, e, false)
	pretty := true
	for _, t := range e.Child {
		if _, ok := t.(*etree.CharData); ok {
			pretty = false
			break
		}
	}
	inner := indent + "  "
	for _, t := range e.Child {
		if pretty {
			b.WriteByte('\n')
			b.WriteString(inner)
		}
		switch t := t.(type) {
		case *etree.Element:
			writeElement(b, t, inner)
		case *etree.CharData:
			if t.IsCData() {
				b.WriteString("<![CDATA[")
				b.WriteString(t.Data)
				b.WriteString("]]>")
			} else {
				escapeText(b, t.Data)
			}
		case *etree.Comment:
			b.WriteString("<!--")
			b.WriteString(t.Data)
			b.WriteString("-->")
		case *etree.ProcInst:
			b.WriteString("<?")
			b.WriteString(t.Target)
			if t.Inst != "" {
				b.WriteByte(' ')
				b.WriteString(t.Inst)
			}
			b.WriteString("?>")
		case *etree.Directive:
			b.WriteString("<!")
			b.WriteString(t.Data)
			b.WriteByte('>')
		}
	}
	if pretty {
		b.WriteByte('\n')
		b.WriteString(indent)
	}
	b.WriteString("</")
	b.WriteString(fullName(e.Space, e.Tag))
	b.WriteByte('>')
}

// setAttrSorted sets an attribute. A new attribute goes where alphabetical
// order puts it when the element's attributes are already in that order (as
// Tableau writes them), else at the end.
func setAttrSorted(e *etree.Element, key, value string) {
	if a := e.SelectAttr(key); a != nil {
		a.Value = value
		return
	}
	sorted := true
	for i := 1; i < len(e.Attr); i++ {
		if e.Attr[i-1].FullKey() > e.Attr[i].FullKey() {
			sorted = false
			break
		}
	}
	e.CreateAttr(key, value)
	if !sorted {
		return
	}
	last := e.Attr[len(e.Attr)-1]
	i := len(e.Attr) - 1
	for i > 0 && e.Attr[i-1].FullKey() > key {
		e.Attr[i] = e.Attr[i-1]
		i--
	}
	e.Attr[i] = last
}

// insertIndented inserts child into parent at token index idx: 0 for first,
// just after an element's token, or len(parent.Child) to append, copying the parent's indentation when
// its children are laid out on lines of their own.
func insertIndented(parent, child *etree.Element, idx int) {
	var sep string
	for i, tok := range parent.Child {
		if _, ok := tok.(*etree.Element); ok && i > 0 {
			if cd, ok := parent.Child[i-1].(*etree.CharData); ok && strings.TrimSpace(cd.Data) == "" && strings.Contains(cd.Data, "\n") {
				sep = cd.Data
			}
		}
	}
	if sep == "" {
		if idx >= len(parent.Child) {
			parent.AddChild(child)
		} else {
			parent.InsertChildAt(idx, child)
		}
		return
	}
	// Appending: go before the white space that indents the end tag.
	if idx >= len(parent.Child) {
		idx = len(parent.Child)
		if cd, ok := parent.Child[idx-1].(*etree.CharData); ok && strings.TrimSpace(cd.Data) == "" {
			idx--
		}
		parent.InsertChildAt(idx, etree.NewText(sep))
		parent.InsertChildAt(idx+1, child)
		return
	}
	if idx == 0 {
		if cd, ok := parent.Child[0].(*etree.CharData); ok && strings.TrimSpace(cd.Data) == "" {
			idx = 1
		}
		parent.InsertChildAt(idx, child)
		parent.InsertChildAt(idx+1, etree.NewText(sep))
		return
	}
	// After an element: a new line, then the child.
	parent.InsertChildAt(idx, etree.NewText(sep))
	parent.InsertChildAt(idx+1, child)
}
