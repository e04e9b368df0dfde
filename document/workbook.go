package document

import (
	"fmt"
	"slices"
)

// Workbook is the model of a .twb or .twbx. It embeds its [Document], so
// Save, SaveAs and Close are at hand.
type Workbook struct {
	*Document
}

// allDatasources returns every top-level datasource, Parameters included.
func (w *Workbook) allDatasources() []*Datasource {
	t := w.t
	dss := t.child(0, "datasources")
	if dss < 0 {
		return nil
	}
	var out []*Datasource
	for _, n := range t.children(dss, "datasource") {
		out = append(out, &Datasource{d: w.Document, n: n, wb: w})
	}
	return out
}

// Datasources returns the workbook's datasources, without the Parameters
// datasource (see [Workbook.Parameters]).
func (w *Workbook) Datasources() []*Datasource {
	var out []*Datasource
	for _, ds := range w.allDatasources() {
		if !ds.IsParameters() {
			out = append(out, ds)
		}
	}
	return out
}

// Datasource returns the datasource with the given name or caption, or
// ErrNotFound.
func (w *Workbook) Datasource(name string) (*Datasource, error) {
	for _, ds := range w.allDatasources() {
		if ds.Name() == name || ds.Caption() == name {
			return ds, nil
		}
	}
	return nil, fmt.Errorf("%w: datasource %q", ErrNotFound, name)
}

// Connections returns the connections of every datasource, in order.
func (w *Workbook) Connections() []*Connection {
	var out []*Connection
	for _, ds := range w.Datasources() {
		out = append(out, ds.Connections()...)
	}
	return out
}

// Worksheet is a sheet of a workbook.
type Worksheet struct {
	w *Workbook
	n int32
}

// Worksheets returns the workbook's worksheets in order.
func (w *Workbook) Worksheets() []*Worksheet {
	wss := w.t.child(0, "worksheets")
	if wss < 0 {
		return nil
	}
	var out []*Worksheet
	for _, n := range w.t.children(wss, "worksheet") {
		out = append(out, &Worksheet{w: w, n: n})
	}
	return out
}

// Worksheet returns the worksheet with the given name, or ErrNotFound.
func (w *Workbook) Worksheet(name string) (*Worksheet, error) {
	for _, ws := range w.Worksheets() {
		if ws.Name() == name {
			return ws, nil
		}
	}
	return nil, fmt.Errorf("%w: worksheet %q", ErrNotFound, name)
}

// Name returns the worksheet's name.
func (ws *Worksheet) Name() string { return ws.w.t.attrOr(ws.n, "name") }

// Location says where the worksheet is in the XML.
func (ws *Worksheet) Location() Location {
	return Location{Line: ws.w.line(ws.n), Path: fmt.Sprintf("worksheet %q", ws.Name())}
}

// Datasources returns the names of the datasources the worksheet uses.
func (ws *Worksheet) Datasources() []string {
	t := ws.w.t
	v := t.path(ws.n, "table", "view", "datasources")
	if v < 0 {
		return nil
	}
	var out []string
	for _, d := range t.children(v, "datasource") {
		out = append(out, t.attrOr(d, "name"))
	}
	return out
}

// FieldUse is a field a worksheet uses.
type FieldUse struct {
	Datasource string // datasource name
	Field      string // field name, "[Sales]"
	Caption    string // caption, when the worksheet stores one
}

// Fields returns the fields the worksheet uses (its datasource
// dependencies), each once.
func (ws *Worksheet) Fields() []FieldUse {
	t := ws.w.t
	v := t.path(ws.n, "table", "view")
	if v < 0 {
		return nil
	}
	var out []FieldUse
	for _, dep := range t.children(v, "datasource-dependencies") {
		ds := t.attrOr(dep, "datasource")
		for _, c := range t.children(dep, "column") {
			u := FieldUse{Datasource: ds, Field: t.attrOr(c, "name"), Caption: t.attrOr(c, "caption")}
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// Dashboard is a dashboard of a workbook.
type Dashboard struct {
	w *Workbook
	n int32
}

// Dashboards returns the workbook's dashboards in order.
func (w *Workbook) Dashboards() []*Dashboard {
	dbs := w.t.child(0, "dashboards")
	if dbs < 0 {
		return nil
	}
	var out []*Dashboard
	for _, n := range w.t.children(dbs, "dashboard") {
		out = append(out, &Dashboard{w: w, n: n})
	}
	return out
}

// Name returns the dashboard's name.
func (db *Dashboard) Name() string { return db.w.t.attrOr(db.n, "name") }

// Location says where the dashboard is in the XML.
func (db *Dashboard) Location() Location {
	return Location{Line: db.w.line(db.n), Path: fmt.Sprintf("dashboard %q", db.Name())}
}

// Sheets returns the names of the worksheets placed on the dashboard, in
// the order of their zones, each once.
func (db *Dashboard) Sheets() []string {
	t := db.w.t
	sheets := map[string]bool{}
	for _, ws := range db.w.Worksheets() {
		sheets[ws.Name()] = true
	}
	var out []string
	for _, z := range t.descendants(db.n, "zone") {
		name, ok := t.attr(z, "name")
		if !ok || !sheets[name] {
			continue
		}
		if _, typed := t.attr(z, "type"); typed {
			continue
		}
		if _, typed := t.attr(z, "type-v2"); typed {
			continue
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}
