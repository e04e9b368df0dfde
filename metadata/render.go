package metadata

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/goccy/go-graphviz"
)

// This file writes an [Impact] as a table, CSV, JSON, a Mermaid flowchart,
// Graphviz DOT and SVG.

var impactHeader = []string{"kind", "name", "in", "project", "owner", "formula", "path"}

func impactRow(n Node) []string {
	return []string{string(n.Kind), n.Name, n.Container, n.Project, n.Owner, n.Formula, strings.Join(n.Path, " > ")}
}

// WriteTable writes the dependents as an aligned text table, one line each.
func (im *Impact) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join([]string{"kind", "name", "in", "project", "owner", "path"}, "\t")))
	for _, n := range im.Dependents() {
		r := impactRow(n)
		fmt.Fprintln(tw, strings.Join([]string{oneLine(r[0]), oneLine(r[1]), oneLine(r[2]), oneLine(r[3]), oneLine(r[4]), oneLine(r[6])}, "\t"))
	}
	return tw.Flush()
}

func oneLine(s string) string {
	s = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
	if s == "" {
		return "-"
	}
	return s
}

// WriteCSV writes the dependents as CSV with a header row.
func (im *Impact) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(impactHeader); err != nil {
		return err
	}
	for _, n := range im.Dependents() {
		if err := cw.Write(impactRow(n)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the whole analysis (target, start, nodes, edges) as
// indented JSON.
func (im *Impact) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(im)
}

// label is a node's text in graphs: its kind, name and (for formulas) the formula.
func (n Node) label() string {
	s := n.Name + "\n(" + string(n.Kind) + ")"
	if n.Kind == KindWorkbook || n.Kind == KindPublishedDatasource {
		s += "\n" + n.Project + " · " + n.Owner
	}
	return s
}

// WriteMermaid writes the graph as a Mermaid flowchart (left to right).
func (im *Impact) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	ids := map[string]string{}
	for i, n := range im.Nodes {
		ids[n.ID] = "n" + strconv.Itoa(i)
		text := strings.ReplaceAll(mermaidEscape(n.label()), "\n", "<br/>")
		open, close := mermaidShape(n.Kind)
		fmt.Fprintf(&b, "  %s%s\"%s\"%s\n", ids[n.ID], open, text, close)
	}
	for _, e := range im.Edges {
		fmt.Fprintf(&b, "  %s --> %s\n", ids[e.From], ids[e.To])
	}
	for _, id := range im.Start {
		fmt.Fprintf(&b, "  style %s stroke:#c0392b,stroke-width:3px\n", ids[id])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mermaidEscape(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;").Replace(s)
}

func mermaidShape(k NodeKind) (string, string) {
	switch k {
	case KindDatabase:
		return "[(", ")]"
	case KindTable, KindColumn:
		return "[/", "/]"
	case KindCalculatedField:
		return "{{", "}}"
	case KindWorkbook, KindPublishedDatasource:
		return "[[", "]]"
	case KindDashboard:
		return "([", "])"
	}
	return "[", "]"
}

// WriteDOT writes the graph in Graphviz DOT.
func (im *Impact) WriteDOT(w io.Writer) error {
	var b strings.Builder
	b.WriteString("digraph lineage {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n  edge [color=\"#666666\"];\n")
	start := map[string]bool{}
	for _, id := range im.Start {
		start[id] = true
	}
	for i, n := range im.Nodes {
		shape, color := dotStyle(n.Kind)
		extra := ""
		if start[n.ID] {
			extra = ", penwidth=3, color=\"#c0392b\""
		}
		fmt.Fprintf(&b, "  n%d [label=%s, shape=%s, fillcolor=%q%s];\n", i, dotQuote(n.label()), shape, color, extra)
	}
	index := map[string]int{}
	for i, n := range im.Nodes {
		index[n.ID] = i
	}
	for _, e := range im.Edges {
		fmt.Fprintf(&b, "  n%d -> n%d;\n", index[e.From], index[e.To])
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func dotStyle(k NodeKind) (shape, color string) {
	switch k {
	case KindDatabase:
		return "cylinder", "#d6eaf8"
	case KindTable:
		return "box3d", "#d6eaf8"
	case KindColumn:
		return "box", "#ebf5fb"
	case KindCalculatedField:
		return "hexagon", "#fdebd0"
	case KindField:
		return "box", "#fef9e7"
	case KindPublishedDatasource:
		return "folder", "#e8daef"
	case KindSheet:
		return "note", "#d5f5e3"
	case KindDashboard:
		return "component", "#abebc6"
	case KindWorkbook:
		return "tab", "#f5b7b1"
	}
	return "box", "#ffffff"
}

// WriteSVG renders the graph to SVG with Graphviz (the dot layout, run
// in-process by github.com/goccy/go-graphviz).
func (im *Impact) WriteSVG(ctx context.Context, w io.Writer) error {
	var dot strings.Builder
	if err := im.WriteDOT(&dot); err != nil {
		return err
	}
	return RenderSVG(ctx, []byte(dot.String()), w)
}

// RenderSVG lays out a Graphviz DOT graph and writes it as SVG.
func RenderSVG(ctx context.Context, dot []byte, w io.Writer) error {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("metadata: starting graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("metadata: parsing DOT: %w", err)
	}
	defer g.Close()
	if err := gv.Render(ctx, g, graphviz.SVG, w); err != nil {
		return fmt.Errorf("metadata: rendering SVG: %w", err)
	}
	return nil
}
