package document

import "github.com/beevik/etree"

// ref points at an element either in the original bytes (n >= 0, el nil)
// or in memory (el set: an element added since opening, or inside a full
// unit; owner is then marked dirty on change).
type ref struct {
	t     *tree
	n     int32
	el    *etree.Element
	owner *unit
}

func (r ref) valid() bool { return r.el != nil || r.n >= 0 }

// mem returns the in-memory element behind r, following a full unit.
func (r ref) mem() *etree.Element {
	if r.el != nil {
		return r.el
	}
	if u := r.t.units[r.n]; u != nil && u.full {
		return u.el
	}
	return nil
}

func (r ref) attr(key string) (string, bool) {
	if r.el != nil {
		a := r.el.SelectAttr(key)
		if a == nil {
			return "", false
		}
		return a.Value, true
	}
	return r.t.attr(r.n, key)
}

func (r ref) get(key string) string {
	v, _ := r.attr(key)
	return v
}

func (r ref) text() string {
	if e := r.mem(); e != nil {
		return e.Text()
	}
	return r.t.text(r.n)
}

func (r ref) children(name string) []ref {
	if e := r.mem(); e != nil {
		owner := r.owner
		if owner == nil && r.el == nil {
			owner = r.t.units[r.n]
		}
		var out []ref
		for _, c := range e.ChildElements() {
			if name == "" || fullName(c.Space, c.Tag) == name {
				out = append(out, ref{t: r.t, n: -1, el: c, owner: owner})
			}
		}
		return out
	}
	ns := r.t.children(r.n, name)
	out := make([]ref, len(ns))
	for i, c := range ns {
		out[i] = ref{t: r.t, n: c}
	}
	return out
}

func (r ref) child(name string) ref {
	if cs := r.children(name); len(cs) > 0 {
		return cs[0]
	}
	return ref{t: r.t, n: -1}
}

// writable returns a ref whose element is in memory, materializing an
// original element as a full unit.
func (r ref) writable() (ref, error) {
	if r.el != nil {
		return r, nil
	}
	u, err := r.t.full(r.n)
	if err != nil {
		return r, err
	}
	return ref{t: r.t, n: -1, el: u.el, owner: u}, nil
}

// touch marks r's owning unit changed.
func (r ref) touch() {
	if r.owner != nil {
		r.owner.dirty = true
	}
}

// setAttr changes one attribute. On an original element only its start tag
// is rewritten; remove deletes the attribute.
func (r ref) setAttr(key, value string, remove bool) {
	if r.el == nil {
		if u := r.t.units[r.n]; u != nil && u.full {
			r = ref{t: r.t, n: -1, el: u.el, owner: u}
		} else {
			r.t.setAttr(r.n, key, value, remove)
			return
		}
	}
	if remove {
		if r.el.RemoveAttr(key) != nil {
			r.touch()
		}
		return
	}
	if a := r.el.SelectAttr(key); a != nil && a.Value == value {
		return
	}
	setAttrSorted(r.el, key, value)
	r.touch()
}

// line returns the line of an original element, 0 for one in memory.
func (r ref) line() int {
	if r.el != nil || r.n < 0 {
		return 0
	}
	return r.t.line(r.n)
}
