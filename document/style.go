package document

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// StyleKind classifies a [StyleSetting].
type StyleKind int

const (
	// StyleFont is a font family: a <format attr='font-family'> or a text
	// run's fontname.
	StyleFont StyleKind = iota + 1
	// StyleColor is a color: a <format> whose attribute names a color, a
	// text run's fontcolor, or a color assigned to a value (<map to=...>).
	StyleColor
	// StylePalette is a named palette an encoding uses (<encoding palette=...>).
	StylePalette
)

// String returns "font", "color", "palette" or "unknown".
func (k StyleKind) String() string {
	switch k {
	case StyleFont:
		return "font"
	case StyleColor:
		return "color"
	case StylePalette:
		return "palette"
	}
	return "unknown"
}

// StyleSetting is one font, color or palette choice in a workbook.
type StyleSetting struct {
	Kind     StyleKind
	Attr     string // what is set: "font-family", "color", "fontname", "fontcolor", "palette", "map", ...
	Value    string // the font family, "#rrggbb" color, or palette name
	Element  string // what it styles: the style-rule's element ("worksheet", "cell", "title"...), or "text" for runs
	Scope    string // "workbook", "worksheet \"Sales\"" or "dashboard \"Overview\""
	Location Location

	d   *Document
	n   int32
	key string // attribute holding Value
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$`)

// Set changes the setting's value. Colors must be "#rrggbb" or "#rrggbbaa".
func (s *StyleSetting) Set(value string) error {
	if value == "" {
		return fmt.Errorf("%w: empty %s", ErrInvalid, s.Kind)
	}
	if s.Kind == StyleColor && !colorRE.MatchString(value) {
		return fmt.Errorf("%w: color %q is not #rrggbb", ErrInvalid, value)
	}
	s.d.t.setAttr(s.n, s.key, value, false)
	s.Value = value
	return nil
}

func isColorAttr(a string) bool { return strings.Contains(a, "color") }

// Styles returns every font, color and palette setting of the workbook in
// document order: <style> rules of the workbook, worksheets and dashboards,
// zone styles, formatted text runs (titles, captions, tooltips, text
// objects) and the colors and palettes of mark encodings.
func (w *Workbook) Styles() []*StyleSetting {
	t := w.t
	var out []*StyleSetting
	for i := int32(1); int(i) < len(t.nodes); i++ {
		nd := &t.nodes[i]
		switch nd.name {
		case "format", "run", "encoding", "map":
		default:
			continue
		}
		if t.isRemoved(i) {
			continue
		}
		add := func(kind StyleKind, attrName, key, value, element string) {
			scope, path := w.styleScope(i)
			label := attrName
			if nd.name == "map" {
				label = key
			}
			out = append(out, &StyleSetting{Kind: kind, Attr: attrName, Value: value, Element: element, Scope: scope,
				Location: Location{Line: w.line(i), Path: path + fmt.Sprintf(" > %s[%s]", nd.name, label)}, d: w.Document, n: i, key: key})
		}
		switch nd.name {
		case "format":
			a, v := t.attrOr(i, "attr"), t.attrOr(i, "value")
			el := t.attrOr(nd.parent, "element")
			if el == "" {
				el = t.name(nd.parent)
			}
			switch {
			case a == "font-family":
				add(StyleFont, a, "value", v, el)
			case isColorAttr(a) && strings.HasPrefix(v, "#"):
				add(StyleColor, a, "value", v, el)
			}
		case "run":
			if v, ok := t.attr(i, "fontname"); ok {
				add(StyleFont, "fontname", "fontname", v, "text")
			}
			if v, ok := t.attr(i, "fontcolor"); ok {
				add(StyleColor, "fontcolor", "fontcolor", v, "text")
			}
		case "encoding":
			if v, ok := t.attr(i, "palette"); ok {
				add(StylePalette, "palette", "palette", v, t.attrOr(i, "attr"))
			}
		case "map":
			if v, ok := t.attr(i, "to"); ok && nd.parent >= 0 && t.name(nd.parent) == "encoding" && strings.HasPrefix(v, "#") {
				add(StyleColor, "map", "to", v, t.attrOr(nd.parent, "attr"))
			}
		}
	}
	return out
}

// Fonts returns the font settings of [Workbook.Styles].
func (w *Workbook) Fonts() []*StyleSetting { return filterStyles(w.Styles(), StyleFont) }

// Colors returns the color settings of [Workbook.Styles].
func (w *Workbook) Colors() []*StyleSetting { return filterStyles(w.Styles(), StyleColor) }

func filterStyles(all []*StyleSetting, k StyleKind) []*StyleSetting {
	return slices.DeleteFunc(all, func(s *StyleSetting) bool { return s.Kind != k })
}

// styleScope names the sheet, dashboard or workbook a style element is in,
// and a readable path to it.
func (w *Workbook) styleScope(n int32) (string, string) {
	t := w.t
	var parts []string
	scope := "workbook"
	for p := t.nodes[n].parent; p > 0; p = t.nodes[p].parent {
		switch nm := t.name(p); nm {
		case "worksheet", "dashboard", "datasource":
			scope = fmt.Sprintf("%s %q", nm, t.attrOr(p, "name"))
			parts = append(parts, scope)
			p = 0
		case "style-rule":
			parts = append(parts, fmt.Sprintf("style-rule[element=%s]", t.attrOr(p, "element")))
		case "zone":
			parts = append(parts, fmt.Sprintf("zone[id=%s]", t.attrOr(p, "id")))
		case "title", "tooltip", "caption", "style", "zone-style":
			parts = append(parts, nm)
		default:
			if strings.HasSuffix(nm, "...style-rule") { // behind a feature flag: "_.fcp.X.true...style-rule"
				parts = append(parts, fmt.Sprintf("style-rule[element=%s]", t.attrOr(p, "element")))
			}
		}
		if p == 0 {
			break
		}
	}
	if scope == "workbook" {
		parts = append(parts, "workbook")
	}
	slices.Reverse(parts)
	return scope, strings.Join(parts, " > ")
}

// Palette is a custom color palette of the workbook (<preferences>).
type Palette struct {
	w  *Workbook
	r  ref
	at int32 // original node, -1 when added
}

// Palettes returns the workbook's custom color palettes.
func (w *Workbook) Palettes() []*Palette {
	t := w.t
	prefs := t.child(0, "preferences")
	var out []*Palette
	if prefs >= 0 {
		for _, n := range t.children(prefs, "color-palette") {
			out = append(out, &Palette{w: w, r: ref{t: t, n: n}, at: n})
		}
		for _, el := range t.added[prefs] {
			if el.Tag == "color-palette" {
				out = append(out, &Palette{w: w, r: ref{t: t, n: -1, el: el}, at: -1})
			}
		}
	}
	for _, els := range t.after {
		for _, el := range els {
			if el.Tag == "preferences" {
				for _, c := range el.SelectElements("color-palette") {
					out = append(out, &Palette{w: w, r: ref{t: t, n: -1, el: c}, at: -1})
				}
			}
		}
	}
	return out
}

// Palette returns the custom palette with the given name, or ErrNotFound.
func (w *Workbook) Palette(name string) (*Palette, error) {
	for _, p := range w.Palettes() {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: color palette %q", ErrNotFound, name)
}

// Name returns the palette's name.
func (p *Palette) Name() string { return p.r.get("name") }

// Type returns "regular", "ordered-sequential" or "ordered-diverging".
func (p *Palette) Type() string { return p.r.get("type") }

// Colors returns the palette's colors.
func (p *Palette) Colors() []string {
	var out []string
	for _, c := range p.r.children("color") {
		out = append(out, strings.TrimSpace(c.text()))
	}
	return out
}

// Location says where the palette is defined.
func (p *Palette) Location() Location {
	return Location{Line: p.r.line(), Path: fmt.Sprintf("preferences > color-palette %q", p.Name())}
}

func checkColors(colors []string) error {
	if len(colors) == 0 {
		return fmt.Errorf("%w: a palette needs at least one color", ErrInvalid)
	}
	for _, c := range colors {
		if !colorRE.MatchString(c) {
			return fmt.Errorf("%w: color %q is not #rrggbb", ErrInvalid, c)
		}
	}
	return nil
}

// SetColors replaces the palette's colors.
func (p *Palette) SetColors(colors []string) error {
	if err := checkColors(colors); err != nil {
		return err
	}
	r, err := p.r.writable()
	if err != nil {
		return err
	}
	p.r = r
	for _, c := range r.el.SelectElements("color") {
		r.el.RemoveChild(c)
	}
	// Drop the white space that indented the old colors.
	for _, tok := range slices.Clone(r.el.Child) {
		if cd, ok := tok.(*etree.CharData); ok && strings.TrimSpace(cd.Data) == "" {
			r.el.RemoveChild(cd)
		}
	}
	for _, c := range colors {
		r.el.CreateElement("color").SetText(c)
	}
	r.touch()
	return nil
}

// AddPalette adds a custom color palette to the workbook's preferences (of
// type "regular" when typ is ""), or ErrInvalid if one has that name.
func (w *Workbook) AddPalette(name, typ string, colors []string) (*Palette, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: empty palette name", ErrInvalid)
	}
	if _, err := w.Palette(name); err == nil {
		return nil, fmt.Errorf("%w: palette %q exists", ErrInvalid, name)
	}
	if typ == "" {
		typ = "regular"
	}
	if err := checkColors(colors); err != nil {
		return nil, err
	}
	el := etree.NewElement("color-palette")
	el.CreateAttr("name", name)
	el.CreateAttr("type", typ)
	for _, c := range colors {
		el.CreateElement("color").SetText(c)
	}
	t := w.t
	if prefs := t.child(0, "preferences"); prefs >= 0 {
		t.added[prefs] = append(t.added[prefs], el)
		return &Palette{w: w, r: ref{t: t, n: -1, el: el}, at: -1}, nil
	}
	// No <preferences>: add one where Tableau puts it, before <datasources>.
	for _, els := range t.after {
		for _, e := range els {
			if e.Tag == "preferences" {
				e.AddChild(el)
				return &Palette{w: w, r: ref{t: t, n: -1, el: el}, at: -1}, nil
			}
		}
	}
	prefs := etree.NewElement("preferences")
	prefs.AddChild(el)
	anchor := int32(-1)
	for c := t.nodes[0].first; c >= 0; c = t.nodes[c].next {
		if nm := t.name(c); nm == "datasources" || nm == "style" || nm == "worksheets" {
			break
		}
		anchor = c
	}
	if anchor >= 0 {
		t.after[anchor] = append(t.after[anchor], prefs)
	} else {
		t.added[0] = append(t.added[0], prefs)
	}
	return &Palette{w: w, r: ref{t: t, n: -1, el: el}, at: -1}, nil
}
