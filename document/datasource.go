package document

import (
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Datasource is a datasource: the root of a .tds/.tdsx, or one embedded in
// a workbook.
type Datasource struct {
	d  *Document
	n  int32
	wb *Workbook // nil for a .tds
}

// Document returns the file the datasource belongs to.
func (ds *Datasource) Document() *Document { return ds.d }

// Name returns the datasource's name attribute (in a .tds, which has none,
// its formatted-name).
func (ds *Datasource) Name() string {
	if v, ok := ds.d.t.attr(ds.n, "name"); ok {
		return v
	}
	return ds.d.t.attrOr(ds.n, "formatted-name")
}

// Caption returns the name Tableau shows for the datasource.
func (ds *Datasource) Caption() string { return ds.d.t.attrOr(ds.n, "caption") }

// SetCaption sets the caption; "" removes it.
func (ds *Datasource) SetCaption(caption string) {
	ds.d.t.setAttr(ds.n, "caption", caption, caption == "")
}

// Version returns the datasource's version attribute.
func (ds *Datasource) Version() string { return ds.d.t.attrOr(ds.n, "version") }

// IsParameters reports whether this is a workbook's Parameters datasource.
func (ds *Datasource) IsParameters() bool {
	return ds.Name() == "Parameters" && ds.d.t.attrOr(ds.n, "hasconnection") == "false"
}

// Location says where the datasource is in the XML.
func (ds *Datasource) Location() Location {
	return Location{Line: ds.d.line(ds.n), Path: fmt.Sprintf("datasource %q", ds.Name())}
}

// Connections returns the datasource's connections: plain ones, and the
// named connections of a federated one. The extract's connection is in
// [Datasource.Extract].
func (ds *Datasource) Connections() []*Connection { return connectionsUnder(ds.d, ds.n) }

// Connection returns the connection with the given named-connection name,
// or ErrNotFound.
func (ds *Datasource) Connection(name string) (*Connection, error) {
	for _, c := range ds.Connections() {
		if c.Name() == name {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%w: connection %q in datasource %q", ErrNotFound, name, ds.Name())
}

// CustomSQL is a custom SQL query of a datasource.
type CustomSQL struct {
	Name       string // relation name, such as "Custom SQL Query"
	Connection string // named connection it runs on ("" for a plain connection)
	Query      string
	Location   Location
}

// CustomSQL returns the custom SQL queries (relations of type "text").
func (ds *Datasource) CustomSQL() []CustomSQL {
	var out []CustomSQL
	t := ds.d.t
	for _, c := range t.children(ds.n, "connection") {
		end := t.nodes[c].end
		for i := c; int(i) < len(t.nodes) && t.nodes[i].start < end; i++ {
			if !strings.HasSuffix(t.nodes[i].name, "relation") || t.isRemoved(i) {
				continue
			}
			if t.attrOr(i, "type") != "text" {
				continue
			}
			q := CustomSQL{Name: t.attrOr(i, "name"), Connection: t.attrOr(i, "connection"),
				Query: t.text(i), Location: Location{Line: ds.d.line(i), Path: fmt.Sprintf("datasource %q > relation %q", ds.Name(), t.attrOr(i, "name"))}}
			// Tableau 2020.2 and later write each relation twice, for the
			// old and the new data model; report it once.
			if slices.ContainsFunc(out, func(o CustomSQL) bool { return o.Name == q.Name && o.Connection == q.Connection && o.Query == q.Query }) {
				continue
			}
			out = append(out, q)
		}
	}
	return out
}

// metadata returns the column metadata records by local name, in order.
func (ds *Datasource) metadata() ([]int32, map[string]int32) {
	t := ds.d.t
	var order []int32
	byName := map[string]int32{}
	for _, c := range t.children(ds.n, "connection") {
		mr := t.child(c, "metadata-records")
		if mr < 0 {
			continue
		}
		for _, rec := range t.children(mr, "metadata-record") {
			if t.attrOr(rec, "class") != "column" {
				continue
			}
			ln := t.child(rec, "local-name")
			if ln < 0 {
				continue
			}
			name := t.text(ln)
			if _, dup := byName[name]; !dup {
				byName[name] = rec
				order = append(order, rec)
			}
		}
	}
	return order, byName
}

// columns returns the datasource's <column> elements, original and added.
func (ds *Datasource) columns() []ref {
	t := ds.d.t
	var out []ref
	for c := t.nodes[ds.n].first; c >= 0; c = t.nodes[c].next {
		if t.nodes[c].name == "column" && !t.removed[c] {
			out = append(out, ref{t: t, n: c})
		}
		for _, el := range t.after[c] {
			if el.Tag == "column" {
				out = append(out, ref{t: t, n: -1, el: el})
			}
		}
	}
	for _, el := range t.added[ds.n] {
		if el.Tag == "column" {
			out = append(out, ref{t: t, n: -1, el: el})
		}
	}
	return out
}

// lastColumnAnchor returns the original element after which new columns go:
// the last <column>, else the last <connection> or <aliases>; -1 to append.
func (ds *Datasource) lastColumnAnchor() int32 {
	t := ds.d.t
	anchor := int32(-1)
	for c := t.nodes[ds.n].first; c >= 0; c = t.nodes[c].next {
		switch t.nodes[c].name {
		case "column":
			anchor = c
		case "connection", "aliases", "repository-location":
			if anchor < 0 || t.nodes[anchor].name != "column" {
				anchor = c
			}
		}
	}
	return anchor
}

// addColumn inserts a new <column> element after the existing columns.
func (ds *Datasource) addColumn(el *etree.Element) {
	t := ds.d.t
	if a := ds.lastColumnAnchor(); a >= 0 {
		t.after[a] = append(t.after[a], el)
		return
	}
	t.added[ds.n] = append(t.added[ds.n], el)
}

// Fields returns the datasource's fields: every <column>, then the columns
// known only from connection metadata.
func (ds *Datasource) Fields() []*Field {
	order, byName := ds.metadata()
	var out []*Field
	seen := map[string]bool{}
	for _, c := range ds.columns() {
		name := c.get("name")
		f := &Field{ds: ds, col: c, meta: -1}
		if m, ok := byName[name]; ok {
			f.meta = m
		}
		seen[name] = true
		out = append(out, f)
	}
	t := ds.d.t
	for _, m := range order {
		name := t.text(t.child(m, "local-name"))
		if seen[name] {
			continue
		}
		out = append(out, &Field{ds: ds, col: ref{t: t, n: -1}, meta: m})
	}
	return out
}

// Field returns the field whose name ("[Sales]" or "Sales") or caption is
// given, or ErrNotFound.
func (ds *Datasource) Field(name string) (*Field, error) {
	fields := ds.Fields()
	want := bracket(name)
	for _, f := range fields {
		if f.Name() == want {
			return f, nil
		}
	}
	for _, f := range fields {
		if f.Caption() != "" && f.Caption() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("%w: field %q in datasource %q", ErrNotFound, name, ds.Name())
}

// CalculatedFields returns the fields that have a formula.
func (ds *Datasource) CalculatedFields() []*Field {
	var out []*Field
	for _, f := range ds.Fields() {
		if f.IsCalculated() {
			out = append(out, f)
		}
	}
	return out
}

func bracket(name string) string {
	if strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]") {
		return name
	}
	return "[" + name + "]"
}

// Extract describes a datasource's extract.
type Extract struct {
	Enabled     bool
	Class       string // connection class, "hyper" (or "dataengine" before 10.5)
	DBName      string // path of the extract, inside the package for .twbx/.tdsx
	Connections []*Connection
	Location    Location
}

// Extract returns the datasource's extract, or nil when it has none.
func (ds *Datasource) Extract() *Extract {
	t := ds.d.t
	x := t.child(ds.n, "extract")
	if x < 0 {
		return nil
	}
	e := &Extract{Enabled: t.attrOr(x, "enabled") == "true", Connections: connectionsUnder(ds.d, x),
		Location: Location{Line: ds.d.line(x), Path: fmt.Sprintf("datasource %q > extract", ds.Name())}}
	if len(e.Connections) > 0 {
		e.Class = e.Connections[0].Class()
		e.DBName = e.Connections[0].DBName()
	}
	return e
}

// ReplaceExtractFile replaces the datasource's extract inside its package
// with the .hyper file at path, written on the next save. It fails with
// ErrNotFound when the datasource has no extract in the package, and with
// ErrWrongKind when the document is not packaged.
func (ds *Datasource) ReplaceExtractFile(path string) error {
	x := ds.Extract()
	if x == nil || x.DBName == "" {
		return fmt.Errorf("%w: datasource %q has no extract", ErrNotFound, ds.Name())
	}
	return ds.d.ReplaceEntryFile(strings.TrimPrefix(x.DBName, "./"), path)
}

// SetCustomSQL replaces the query of the custom SQL relation with the given
// name ("Custom SQL Query" unless renamed; every copy of it, since Tableau
// writes relations for both its old and new data model), or returns
// ErrNotFound.
func (ds *Datasource) SetCustomSQL(name, query string) error {
	if strings.TrimSpace(query) == "" {
		return fmt.Errorf("%w: empty query", ErrInvalid)
	}
	t := ds.d.t
	found := false
	for _, c := range t.children(ds.n, "connection") {
		end := t.nodes[c].end
		for i := c; int(i) < len(t.nodes) && t.nodes[i].start < end; i++ {
			if !strings.HasSuffix(t.nodes[i].name, "relation") || t.isRemoved(i) ||
				t.attrOr(i, "type") != "text" || t.attrOr(i, "name") != name {
				continue
			}
			u, err := t.full(i)
			if err != nil {
				return err
			}
			u.el.SetText(query)
			u.dirty = true
			found = true
			// Keep going: the relation may be written twice (old and new data model).
		}
	}
	if !found {
		return fmt.Errorf("%w: custom SQL %q in datasource %q", ErrNotFound, name, ds.Name())
	}
	return nil
}
