package document

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Field is a field of a datasource: a <column> element, a column known only
// from the connection's metadata, or both.
type Field struct {
	ds   *Datasource
	col  ref   // the <column>; not valid() for a metadata-only field
	meta int32 // the <metadata-record>, -1 when none
}

func (f *Field) metaText(name string) string {
	if f.meta < 0 {
		return ""
	}
	t := f.ds.d.t
	c := t.child(f.meta, name)
	if c < 0 {
		return ""
	}
	return t.text(c)
}

func (f *Field) colAttr(key string) string {
	if !f.col.valid() {
		return ""
	}
	return f.col.get(key)
}

// Datasource returns the datasource the field belongs to.
func (f *Field) Datasource() *Datasource { return f.ds }

// Name returns the field's name as Tableau stores it, in brackets: "[Sales]".
func (f *Field) Name() string {
	if f.col.valid() {
		return f.col.get("name")
	}
	return f.metaText("local-name")
}

// Caption returns the field's caption ("" when it has none).
func (f *Field) Caption() string { return f.colAttr("caption") }

// DisplayName returns the caption, or the name without brackets.
func (f *Field) DisplayName() string {
	if c := f.Caption(); c != "" {
		return c
	}
	return strings.TrimSuffix(strings.TrimPrefix(f.Name(), "["), "]")
}

// Alias returns the field's alias: the column's alias attribute, else the
// remote column name from the connection metadata.
func (f *Field) Alias() string {
	if v := f.colAttr("alias"); v != "" {
		return v
	}
	return f.metaText("remote-alias")
}

// RemoteName returns the column name in the database ("" when unknown).
func (f *Field) RemoteName() string { return f.metaText("remote-name") }

// Datatype returns the data type: string, integer, real, boolean, date or
// datetime.
func (f *Field) Datatype() string {
	if v := f.colAttr("datatype"); v != "" {
		return v
	}
	return f.metaText("local-type")
}

// Role returns "dimension" or "measure" ("" when not stored).
func (f *Field) Role() string { return f.colAttr("role") }

// Type returns "nominal", "ordinal" or "quantitative" ("" when not stored).
func (f *Field) Type() string { return f.colAttr("type") }

// Hidden reports whether the field is hidden.
func (f *Field) Hidden() bool { return f.colAttr("hidden") == "true" }

// DefaultAggregation returns the default aggregation, such as "Sum".
func (f *Field) DefaultAggregation() string {
	if v := f.metaText("aggregation"); v != "" {
		return v
	}
	return f.colAttr("aggregation")
}

// Description returns the text of the field's description.
func (f *Field) Description() string {
	if !f.col.valid() {
		return ""
	}
	d := f.col.child("desc")
	if !d.valid() {
		return ""
	}
	return strings.TrimSpace(d.text())
}

// Aliases returns the display aliases of the field's values (value → alias).
func (f *Field) Aliases() map[string]string {
	out := map[string]string{}
	if !f.col.valid() {
		return out
	}
	for _, a := range f.col.child("aliases").childrenIfValid("alias") {
		out[a.get("key")] = a.get("value")
	}
	return out
}

func (r ref) childrenIfValid(name string) []ref {
	if !r.valid() {
		return nil
	}
	return r.children(name)
}

// IsCalculated reports whether the field has a formula.
func (f *Field) IsCalculated() bool {
	_, ok := f.formula()
	return ok
}

func (f *Field) formula() (string, bool) {
	if !f.col.valid() {
		return "", false
	}
	c := f.col.child("calculation")
	if !c.valid() {
		return "", false
	}
	return c.attr("formula")
}

// Formula returns the formula of a calculated field ("" otherwise).
func (f *Field) Formula() string {
	v, _ := f.formula()
	return v
}

// ReferencedFields returns the fields the formula refers to, as written:
// "[Sales]" for a field of the same datasource, "[Parameters].[Parameter 1]"
// for one of another datasource. Each appears once, in order.
func (f *Field) ReferencedFields() []string { return formulaRefs(f.Formula()) }

// Worksheets returns the names of the workbook's worksheets that use the
// field (none for a datasource file).
func (f *Field) Worksheets() []string {
	if f.ds.wb == nil {
		return nil
	}
	var out []string
	name, dsName := f.Name(), f.ds.Name()
	for _, ws := range f.ds.wb.Worksheets() {
		for _, u := range ws.Fields() {
			if u.Datasource == dsName && u.Field == name {
				out = append(out, ws.Name())
				break
			}
		}
	}
	return out
}

// Location says where the field is defined in the XML.
func (f *Field) Location() Location {
	line := 0
	if f.col.valid() {
		line = f.col.line()
	} else if f.meta >= 0 {
		line = f.ds.d.line(f.meta)
	}
	return Location{Line: line, Path: fmt.Sprintf("datasource %q > column %q", f.ds.Name(), f.Name())}
}

// column returns the field's <column> in memory for change, creating one
// from the metadata when the field has none.
func (f *Field) column() (ref, error) {
	if f.col.valid() {
		w, err := f.col.writable()
		if err != nil {
			return ref{}, err
		}
		f.col = w
		return w, nil
	}
	dt := f.metaText("local-type")
	role, typ := defaultRoleType(dt)
	el := etree.NewElement("column")
	el.CreateAttr("datatype", dt)
	el.CreateAttr("name", f.metaText("local-name"))
	el.CreateAttr("role", role)
	el.CreateAttr("type", typ)
	f.ds.addColumn(el)
	f.col = ref{t: f.ds.d.t, n: -1, el: el}
	return f.col, nil
}

func defaultRoleType(datatype string) (string, string) {
	switch datatype {
	case "integer", "real":
		return "measure", "quantitative"
	case "date", "datetime":
		return "dimension", "ordinal"
	}
	return "dimension", "nominal"
}

func (f *Field) set(key, value string, remove bool) error {
	c, err := f.column()
	if err != nil {
		return err
	}
	c.setAttr(key, value, remove)
	switch key {
	case "caption", "datatype", "role", "type":
		f.updateCopies(func(t *tree, col int32) {
			if _, ok := t.attr(col, key); ok || !remove {
				t.setAttr(col, key, value, remove)
			}
		})
	}
	return nil
}

// updateCopies calls fn for every copy of the field that worksheets keep in
// their datasource dependencies (Tableau stores the caption, type and
// formula there again), so a change keeps the workbook consistent.
func (f *Field) updateCopies(fn func(t *tree, col int32)) {
	wb := f.ds.wb
	if wb == nil {
		return
	}
	t := wb.t
	wss := t.child(0, "worksheets")
	if wss < 0 {
		return
	}
	name, dsName := f.Name(), f.ds.Name()
	for _, dep := range t.descendants(wss, "datasource-dependencies") {
		if t.attrOr(dep, "datasource") != dsName {
			continue
		}
		for _, c := range t.children(dep, "column") {
			if t.attrOr(c, "name") == name {
				fn(t, c)
			}
		}
	}
}

// SetCaption sets the name Tableau shows (what Desktop's Rename does);
// "" removes the caption. Like every field change, it also updates the
// copies of the field that worksheets keep.
func (f *Field) SetCaption(caption string) error { return f.set("caption", caption, caption == "") }

// SetHidden hides or shows the field.
func (f *Field) SetHidden(hidden bool) error {
	return f.set("hidden", "true", !hidden)
}

// SetRole sets "dimension" or "measure".
func (f *Field) SetRole(role string) error {
	if role != "dimension" && role != "measure" {
		return fmt.Errorf("%w: role %q (want dimension or measure)", ErrInvalid, role)
	}
	return f.set("role", role, false)
}

// SetType sets "nominal", "ordinal" or "quantitative".
func (f *Field) SetType(typ string) error {
	if typ != "nominal" && typ != "ordinal" && typ != "quantitative" {
		return fmt.Errorf("%w: type %q (want nominal, ordinal or quantitative)", ErrInvalid, typ)
	}
	return f.set("type", typ, false)
}

var datatypes = []string{"string", "integer", "real", "boolean", "date", "datetime", "spatial", "table"}

// SetDatatype sets the data type.
func (f *Field) SetDatatype(dt string) error {
	if !slices.Contains(datatypes, dt) {
		return fmt.Errorf("%w: datatype %q", ErrInvalid, dt)
	}
	return f.set("datatype", dt, false)
}

// SetAlias sets the display alias of one value of the field.
func (f *Field) SetAlias(value, alias string) error {
	c, err := f.column()
	if err != nil {
		return err
	}
	aliases := c.el.SelectElement("aliases")
	if aliases == nil {
		aliases = etree.NewElement("aliases")
		insertChildInOrder(c.el, aliases, "calculation", "desc")
	}
	for _, a := range aliases.SelectElements("alias") {
		if a.SelectAttrValue("key", "") == value {
			a.CreateAttr("value", alias)
			c.touch()
			return nil
		}
	}
	a := etree.NewElement("alias")
	a.CreateAttr("key", value)
	a.CreateAttr("value", alias)
	insertIndented(aliases, a, len(aliases.Child))
	c.touch()
	return nil
}

// insertChildInOrder adds child to parent after the last child named one of
// after, or at the end.
func insertChildInOrder(parent, child *etree.Element, after ...string) {
	idx := -1
	for _, e := range parent.ChildElements() {
		if slices.Contains(after, e.Tag) {
			idx = e.Index()
		}
	}
	if idx < 0 {
		insertIndented(parent, child, len(parent.Child))
		return
	}
	insertIndented(parent, child, idx+1)
}

// SetFormula sets the formula of a calculated field, or turns a field into
// one.
func (f *Field) SetFormula(formula string) error {
	if strings.TrimSpace(formula) == "" {
		return fmt.Errorf("%w: empty formula", ErrInvalid)
	}
	c, err := f.column()
	if err != nil {
		return err
	}
	calc := c.el.SelectElement("calculation")
	if calc == nil {
		calc = etree.NewElement("calculation")
		calc.CreateAttr("class", "tableau")
		insertIndented(c.el, calc, 0)
	}
	calc.CreateAttr("formula", formula)
	c.touch()
	f.updateCopies(func(t *tree, col int32) {
		if calc := t.child(col, "calculation"); calc >= 0 {
			t.setAttr(calc, "formula", formula, false)
		}
	})
	return nil
}

// Rename changes the field's name (the "[Name]" Tableau stores) and the
// references to it in this datasource's formulas. A field that worksheets
// use cannot be renamed (their references would break): change its caption
// instead.
func (f *Field) Rename(newName string) error {
	newName = bracket(strings.TrimSpace(newName))
	if newName == "[]" {
		return fmt.Errorf("%w: empty field name", ErrInvalid)
	}
	old := f.Name()
	if newName == old {
		return nil
	}
	if _, err := f.ds.Field(newName); err == nil {
		return fmt.Errorf("%w: datasource %q already has a field %s", ErrInvalid, f.ds.Name(), newName)
	}
	if ws := f.Worksheets(); len(ws) > 0 {
		return fmt.Errorf("%w: field %s is used by worksheets %s; set its caption instead", ErrInvalid, old, strings.Join(ws, ", "))
	}
	if f.meta >= 0 && !f.IsCalculated() {
		return fmt.Errorf("%w: field %s maps to a database column; set its caption instead", ErrInvalid, old)
	}
	for _, other := range f.ds.CalculatedFields() {
		if other.Name() == old {
			continue
		}
		formula := other.Formula()
		if nf := replaceRef(formula, old, newName); nf != formula {
			if err := other.SetFormula(nf); err != nil {
				return err
			}
		}
	}
	return f.set("name", newName, false)
}

// CalculationOptions describe a new calculated field. A nil
// *CalculationOptions uses every default.
type CalculationOptions struct {
	// Name is the stored name. Default: "[Calculation_<19 random digits>]",
	// as Tableau makes them.
	Name string
	// Datatype of the result. Default: "real".
	Datatype string
	// Role, "dimension" or "measure". Default: "measure" for integer and
	// real, "dimension" otherwise.
	Role string
	// Type, "nominal", "ordinal" or "quantitative". Default: from Datatype,
	// as for Role.
	Type string
	// Hidden hides the new field. Default: false.
	Hidden bool
}

// AddCalculatedField adds a calculated field with the given caption and
// formula.
func (ds *Datasource) AddCalculatedField(caption, formula string, opts *CalculationOptions) (*Field, error) {
	var o CalculationOptions
	if opts != nil {
		o = *opts
	}
	if strings.TrimSpace(formula) == "" {
		return nil, fmt.Errorf("%w: empty formula", ErrInvalid)
	}
	if o.Datatype == "" {
		o.Datatype = "real"
	}
	if !slices.Contains(datatypes, o.Datatype) {
		return nil, fmt.Errorf("%w: datatype %q", ErrInvalid, o.Datatype)
	}
	role, typ := defaultRoleType(o.Datatype)
	if o.Role == "" {
		o.Role = role
	}
	if o.Type == "" {
		o.Type = typ
	}
	if o.Name == "" {
		n, err := rand.Int(rand.Reader, big.NewInt(9e18))
		if err != nil {
			return nil, fmt.Errorf("document: %w", err)
		}
		o.Name = fmt.Sprintf("[Calculation_%019d]", n.Int64()+1e17)
	}
	o.Name = bracket(o.Name)
	if _, err := ds.Field(o.Name); err == nil {
		return nil, fmt.Errorf("%w: datasource %q already has a field %s", ErrInvalid, ds.Name(), o.Name)
	}
	el := etree.NewElement("column")
	if caption != "" {
		el.CreateAttr("caption", caption)
	}
	el.CreateAttr("datatype", o.Datatype)
	if o.Hidden {
		el.CreateAttr("hidden", "true")
	}
	el.CreateAttr("name", o.Name)
	el.CreateAttr("role", o.Role)
	el.CreateAttr("type", o.Type)
	calc := el.CreateElement("calculation")
	calc.CreateAttr("class", "tableau")
	calc.CreateAttr("formula", formula)
	ds.addColumn(el)
	return &Field{ds: ds, col: ref{t: ds.d.t, n: -1, el: el}, meta: -1}, nil
}

// RemoveField removes a field's <column> element (its name, or caption).
// Fields known only from the connection metadata cannot be removed.
func (ds *Datasource) RemoveField(name string) error {
	f, err := ds.Field(name)
	if err != nil {
		return err
	}
	if !f.col.valid() {
		return fmt.Errorf("%w: field %s comes from the database; hide it instead", ErrInvalid, f.Name())
	}
	t := ds.d.t
	if f.col.el == nil {
		t.removed[f.col.n] = true
		delete(t.units, f.col.n)
		return nil
	}
	// A column added since opening, or an original one made writable.
	for n, u := range t.units {
		if u.el == f.col.el {
			t.removed[n] = true
			delete(t.units, n)
			return nil
		}
	}
	for k, els := range t.after {
		t.after[k] = slices.DeleteFunc(els, func(e *etree.Element) bool { return e == f.col.el })
	}
	for k, els := range t.added {
		t.added[k] = slices.DeleteFunc(els, func(e *etree.Element) bool { return e == f.col.el })
	}
	return nil
}
