package document

import (
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/beevik/etree"
)

// tree is an XML document kept as its original bytes, a skeleton index of
// its elements, and the changes made to it. Elements are turned into etree
// elements only when something changes them ("units"); saving splices the
// changed units into the original bytes, so every byte outside a change
// stays as it was.
type tree struct {
	src   []byte
	nodes []node

	// units holds elements materialized for change. A head unit carries only
	// the start tag (attributes); a full unit the whole subtree.
	units map[int32]*unit
	// removed marks original elements deleted from the document.
	removed map[int32]bool
	// added holds new elements appended as last children of an original element.
	added map[int32][]*etree.Element
	// after holds new elements inserted as following siblings of an original element.
	after map[int32][]*etree.Element

	// newlines holds the offsets of the line breaks, built on first use.
	newlines []int32
}

// crlf reports whether the document's lines end with CR LF (then new
// content is written with CR LF too).
func (t *tree) crlf() bool {
	i := bytes.IndexByte(t.src, '\n')
	return i > 0 && t.src[i-1] == '\r'
}

// line returns the 1-based line number of an original element.
func (t *tree) line(n int32) int {
	if t.newlines == nil {
		t.newlines = make([]int32, 0, bytes.Count(t.src, []byte{'\n'})+1)
		for i, b := 0, t.src; ; {
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				break
			}
			t.newlines = append(t.newlines, int32(i+j))
			i += j + 1
		}
	}
	off := t.nodes[n].start
	i, _ := slices.BinarySearch(t.newlines, off)
	return i + 1
}

type unit struct {
	el    *etree.Element
	full  bool
	dirty bool
}

func newTree(src []byte, limits scanLimits) (*tree, error) {
	nodes, err := scan(src, limits)
	if err != nil {
		return nil, err
	}
	return &tree{src: src, nodes: nodes, units: map[int32]*unit{}, removed: map[int32]bool{}, added: map[int32][]*etree.Element{}, after: map[int32][]*etree.Element{}}, nil
}

func (t *tree) name(n int32) string { return t.nodes[n].name }

func (t *tree) headBytes(n int32) []byte {
	nd := &t.nodes[n]
	return t.src[nd.start:nd.headEnd]
}

// attr returns an attribute of an original element, seeing changes.
func (t *tree) attr(n int32, key string) (string, bool) {
	if u := t.units[n]; u != nil {
		a := u.el.SelectAttr(key)
		if a == nil {
			return "", false
		}
		return a.Value, true
	}
	return headAttr(t.headBytes(n), key)
}

func (t *tree) attrOr(n int32, key string) string {
	v, _ := t.attr(n, key)
	return v
}

// text returns the decoded character data inside an original element.
func (t *tree) text(n int32) string {
	if u := t.units[n]; u != nil && u.full {
		return u.el.Text()
	}
	nd := &t.nodes[n]
	if nd.selfShut {
		return ""
	}
	closeAt := bytes.LastIndexByte(t.src[:nd.end], '<')
	return innerText(t.src[nd.headEnd:closeAt])
}

// children yields the original child elements of n, optionally only those
// named name, skipping removed ones.
func (t *tree) children(n int32, name string) []int32 {
	var out []int32
	for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
		if t.removed[c] {
			continue
		}
		if name == "" || t.nodes[c].name == name {
			out = append(out, c)
		}
	}
	return out
}

func (t *tree) child(n int32, name string) int32 {
	for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
		if !t.removed[c] && t.nodes[c].name == name {
			return c
		}
	}
	return -1
}

// path follows a chain of child names from n; -1 when a step is missing.
func (t *tree) path(n int32, names ...string) int32 {
	for _, nm := range names {
		if n < 0 {
			return -1
		}
		n = t.child(n, nm)
	}
	return n
}

// descendants returns every original element below n named name, in
// document order. Because nodes are stored in document order, the subtree of
// n is the index range (n, end of subtree).
func (t *tree) descendants(n int32, name string) []int32 {
	var out []int32
	end := t.nodes[n].end
	for i := n + 1; int(i) < len(t.nodes) && t.nodes[i].start < end; i++ {
		if t.nodes[i].name == name && !t.isRemoved(i) {
			out = append(out, i)
		}
	}
	return out
}

// isRemoved reports whether n or one of its ancestors was removed.
func (t *tree) isRemoved(n int32) bool {
	if len(t.removed) == 0 {
		return false
	}
	for ; n >= 0; n = t.nodes[n].parent {
		if t.removed[n] {
			return true
		}
	}
	return false
}

// head returns the element holding n's attributes for change; the caller
// marks it dirty after changing it.
func (t *tree) head(n int32) *unit {
	if u := t.units[n]; u != nil {
		return u
	}
	nd := &t.nodes[n]
	el := etree.NewElement(nd.name)
	for _, a := range parseHead(t.headBytes(n)) {
		el.CreateAttr(a.key, a.value)
	}
	u := &unit{el: el}
	t.units[n] = u
	return u
}

// full returns n's whole subtree as an etree element for change.
func (t *tree) full(n int32) (*unit, error) {
	if u := t.units[n]; u != nil && u.full {
		return u, nil
	}
	nd := &t.nodes[n]
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(t.src[nd.start:nd.end]); err != nil {
		return nil, &SyntaxError{Offset: int64(nd.start), Line: lineOf(t.src, int(nd.start)), Msg: fmt.Sprintf("element <%s>: %v", nd.name, err)}
	}
	root := doc.Root()
	if root == nil {
		return nil, &SyntaxError{Offset: int64(nd.start), Line: lineOf(t.src, int(nd.start)), Msg: fmt.Sprintf("element <%s> did not parse", nd.name)}
	}
	doc.RemoveChild(root)
	u := t.units[n]
	if u != nil {
		// Keep attribute changes made through a head unit.
		root.Attr = u.el.Attr
		u.el, u.full = root, true
	} else {
		u = &unit{el: root, full: true}
		t.units[n] = u
	}
	return u, nil
}

// setAttr sets (or with remove, deletes) an attribute of an original element.
func (t *tree) setAttr(n int32, key, value string, remove bool) {
	u := t.head(n)
	if remove {
		if u.el.RemoveAttr(key) != nil {
			u.dirty = true
		}
		return
	}
	if a := u.el.SelectAttr(key); a != nil && a.Value == value {
		return
	}
	setAttrSorted(u.el, key, value)
	u.dirty = true
}

// indentOf returns the white space before n on its line.
func (t *tree) indentOf(n int32) string {
	s := int(t.nodes[n].start)
	i := s
	for i > 0 && (t.src[i-1] == ' ' || t.src[i-1] == '\t') {
		i--
	}
	if i == 0 || t.src[i-1] == '\n' {
		return string(t.src[i:s])
	}
	return ""
}

// changed reports whether anything would differ from the original bytes.
func (t *tree) changed() bool {
	for _, els := range t.added {
		if len(els) > 0 {
			return true
		}
	}
	for _, els := range t.after {
		if len(els) > 0 {
			return true
		}
	}
	if len(t.removed) > 0 {
		return true
	}
	for _, u := range t.units {
		if u.dirty {
			return true
		}
	}
	return false
}

type edit struct {
	start, end int
	write      func(b *bytes.Buffer)
}

// bytes returns the document with every change spliced in.
func (t *tree) bytes() []byte {
	if !t.changed() {
		return t.src
	}
	var out bytes.Buffer
	out.Grow(len(t.src) + 4096)
	t.writeTo(&out) // a bytes.Buffer does not fail
	return out.Bytes()
}

// writeTo writes the document with every change spliced in: unchanged
// stretches go straight from the original bytes, changed elements are
// serialized into a small buffer each.
func (t *tree) writeTo(w io.Writer) error {
	if !t.changed() {
		_, err := w.Write(t.src)
		return err
	}
	var edits []edit
	for n, u := range t.units {
		if !u.dirty {
			continue
		}
		nd := t.nodes[n]
		el := u.el
		if u.full {
			indent := t.indentOf(n)
			edits = append(edits, edit{int(nd.start), int(nd.end), func(b *bytes.Buffer) { writeElement(b, el, indent) }})
			continue
		}
		if nd.selfShut && len(t.added[n]) > 0 {
			continue // written with the added children below
		}
		edits = append(edits, edit{int(nd.start), int(nd.headEnd), func(b *bytes.Buffer) { writeHead(b, el, nd.selfShut) }})
	}
	for n := range t.removed {
		nd := t.nodes[n]
		s := int(nd.start)
		i := s
		for i > 0 && (t.src[i-1] == ' ' || t.src[i-1] == '\t') {
			i--
		}
		if i > 0 && t.src[i-1] == '\n' {
			i--
			if i > 0 && t.src[i-1] == '\r' {
				i--
			}
			s = i
		}
		edits = append(edits, edit{s, int(nd.end), func(*bytes.Buffer) {}})
	}
	for n, els := range t.added {
		if len(els) == 0 {
			continue
		}
		nd := t.nodes[n]
		indent := t.indentOf(n)
		inner := indent + "  "
		els := els
		if nd.selfShut {
			var headEl *etree.Element
			if u := t.units[n]; u != nil {
				headEl = u.el
			} else {
				headEl = etree.NewElement(nd.name)
				for _, a := range parseHead(t.headBytes(n)) {
					headEl.CreateAttr(a.key, a.value)
				}
			}
			edits = append(edits, edit{int(nd.start), int(nd.end), func(b *bytes.Buffer) {
				writeHead(b, headEl, false)
				for _, e := range els {
					b.WriteByte('\n')
					b.WriteString(inner)
					writeElement(b, e, inner)
				}
				b.WriteByte('\n')
				b.WriteString(indent)
				b.WriteString("</" + nd.name + ">")
			}})
			continue
		}
		at := bytes.LastIndexByte(t.src[:nd.end], '<')
		// Put new children after the last child, before the white space
		// that indents the end tag.
		ws := at
		for ws > int(nd.headEnd) && isSpace(t.src[ws-1]) {
			ws--
		}
		edits = append(edits, edit{ws, ws, func(b *bytes.Buffer) {
			for _, e := range els {
				b.WriteByte('\n')
				b.WriteString(inner)
				writeElement(b, e, inner)
			}
		}})
	}
	for n, els := range t.after {
		if len(els) == 0 {
			continue
		}
		nd := t.nodes[n]
		indent := t.indentOf(n)
		els := els
		edits = append(edits, edit{int(nd.end), int(nd.end), func(b *bytes.Buffer) {
			for _, e := range els {
				b.WriteByte('\n')
				b.WriteString(indent)
				writeElement(b, e, indent)
			}
		}})
	}
	slices.SortFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		// Insertions before replacements at the same offset, then wider first.
		az, bz := a.start == a.end, b.start == b.end
		if az != bz {
			if az {
				return -1
			}
			return 1
		}
		return b.end - a.end
	})
	var small bytes.Buffer
	pos := 0
	flush := func(end int) error {
		// Gather short stretches with the changes; write long ones directly.
		if end-pos < 64<<10 {
			small.Write(t.src[pos:end])
			return nil
		}
		if small.Len() > 0 {
			if _, err := w.Write(small.Bytes()); err != nil {
				return err
			}
			small.Reset()
		}
		_, err := w.Write(t.src[pos:end])
		return err
	}
	for _, e := range edits {
		if e.start < pos {
			continue // inside an earlier, wider change (a removal or a full rewrite)
		}
		if e.start == e.end && pos > e.start {
			continue
		}
		if err := flush(e.start); err != nil {
			return err
		}
		if t.crlf() {
			var tmp bytes.Buffer
			e.write(&tmp)
			small.Write(bytes.ReplaceAll(tmp.Bytes(), []byte("\n"), []byte("\r\n")))
		} else {
			e.write(&small)
		}
		pos = e.end
	}
	if err := flush(len(t.src)); err != nil {
		return err
	}
	if small.Len() > 0 {
		_, err := w.Write(small.Bytes())
		return err
	}
	return nil
}
