package document

import (
	"fmt"
	"strconv"
	"strings"
)

// Parameter is a workbook parameter: a column of the Parameters datasource.
type Parameter struct {
	f *Field
}

// Parameters returns the workbook's parameters.
func (w *Workbook) Parameters() []*Parameter {
	var out []*Parameter
	for _, ds := range w.allDatasources() {
		if !ds.IsParameters() {
			continue
		}
		for _, f := range ds.Fields() {
			if f.col.valid() {
				out = append(out, &Parameter{f: f})
			}
		}
	}
	return out
}

// Parameter returns the parameter with the given caption or name, or
// ErrNotFound.
func (w *Workbook) Parameter(name string) (*Parameter, error) {
	for _, p := range w.Parameters() {
		if p.Caption() == name || p.Name() == bracket(name) {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: parameter %q", ErrNotFound, name)
}

// Name returns the stored name, such as "[Parameter 1]".
func (p *Parameter) Name() string { return p.f.Name() }

// Caption returns the name Tableau shows.
func (p *Parameter) Caption() string { return p.f.Caption() }

// Datatype returns the data type: string, integer, real, boolean, date or
// datetime.
func (p *Parameter) Datatype() string { return p.f.Datatype() }

// Domain returns which values are allowed: "all", "list" or "range".
func (p *Parameter) Domain() string {
	v := p.f.colAttr("param-domain-type")
	if v == "any" {
		return "all"
	}
	return v
}

// Value returns the current value as a Tableau literal: 5, 1.5,
// "East" (with quotes) or #2024-01-31#.
func (p *Parameter) Value() string {
	if v := p.f.colAttr("value"); v != "" {
		return v
	}
	return p.f.Formula()
}

// ParameterMember is one allowed value of a list parameter.
type ParameterMember struct {
	Value string // Tableau literal, as Value returns
	Alias string // display alias, "" when none
}

// Allowed returns the allowed values of a list parameter.
func (p *Parameter) Allowed() []ParameterMember {
	c := p.f.col
	aliases := p.f.Aliases()
	var out []ParameterMember
	for _, m := range c.child("members").childrenIfValid("member") {
		v := m.get("value")
		a := m.get("alias")
		if a == "" {
			a = aliases[v]
		}
		out = append(out, ParameterMember{Value: v, Alias: a})
	}
	return out
}

// ParameterRange is the allowed range of a range parameter; empty strings
// mean no bound.
type ParameterRange struct {
	Min, Max, Granularity string
}

// Range returns the range of a range parameter (zero when not a range).
func (p *Parameter) Range() ParameterRange {
	r := p.f.col.child("range")
	if !r.valid() {
		return ParameterRange{}
	}
	return ParameterRange{Min: r.get("min"), Max: r.get("max"), Granularity: r.get("granularity")}
}

// Location says where the parameter is defined.
func (p *Parameter) Location() Location {
	l := p.f.Location()
	l.Path = fmt.Sprintf("parameter %q", p.Caption())
	return l
}

// SetValue sets the current value, given as a Tableau literal (see
// [Parameter.Value]; [Literal] makes one). A list parameter accepts only
// one of its members; a numeric range parameter only a value within range.
// The copies worksheets keep of the parameter change too.
func (p *Parameter) SetValue(literal string) error {
	literal = strings.TrimSpace(literal)
	if literal == "" {
		return fmt.Errorf("%w: empty value for parameter %q", ErrInvalid, p.Caption())
	}
	switch p.Domain() {
	case "list":
		ok := false
		for _, m := range p.Allowed() {
			if m.Value == literal {
				ok = true
				break
			}
		}
		if !ok {
			return fmt.Errorf("%w: %s is not an allowed value of parameter %q", ErrInvalid, literal, p.Caption())
		}
	case "range":
		if dt := p.Datatype(); dt == "integer" || dt == "real" {
			v, err := strconv.ParseFloat(literal, 64)
			if err != nil {
				return fmt.Errorf("%w: %s is not a number for parameter %q", ErrInvalid, literal, p.Caption())
			}
			r := p.Range()
			if lo, err := strconv.ParseFloat(r.Min, 64); err == nil && v < lo {
				return fmt.Errorf("%w: %s is below the minimum %s of parameter %q", ErrInvalid, literal, r.Min, p.Caption())
			}
			if hi, err := strconv.ParseFloat(r.Max, 64); err == nil && v > hi {
				return fmt.Errorf("%w: %s is above the maximum %s of parameter %q", ErrInvalid, literal, r.Max, p.Caption())
			}
		}
	}
	if err := p.f.set("value", literal, false); err != nil {
		return err
	}
	if err := p.f.SetFormula(literal); err != nil {
		return err
	}
	p.updateCopies(literal)
	return nil
}

// updateCopies updates the copies of the parameter that worksheets keep in
// their datasource dependencies, so the workbook agrees with itself.
func (p *Parameter) updateCopies(literal string) {
	p.f.updateCopies(func(t *tree, c int32) {
		if _, ok := t.attr(c, "value"); ok {
			t.setAttr(c, "value", literal, false)
		}
		if calc := t.child(c, "calculation"); calc >= 0 {
			t.setAttr(calc, "formula", literal, false)
		}
	})
}

// Literal makes a Tableau literal of a value for the given datatype: a
// string gets double quotes (doubling any inside), a date or datetime #...#,
// anything else stays as is.
func Literal(datatype, value string) string {
	switch datatype {
	case "string":
		return `"` + strings.ReplaceAll(value, `"`, `""`) + `"`
	case "date", "datetime":
		return "#" + value + "#"
	}
	return value
}
