package tableautest

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/tableau-go/sdk/document"
)

// This file reads a published workbook or datasource file into the plain
// facts the Metadata API answers from (lineage.go assembles them into a
// graph): its datasources with their connections, tables, columns and
// fields, and a workbook's sheets and dashboards with the fields they use.

// parsedDoc is what one published file says about lineage.
type parsedDoc struct {
	datasources []*parsedDS
	sheets      []parsedSheet
	dashboards  []parsedDashboard
}

// parsedDS is one datasource of a file.
type parsedDS struct {
	name, caption string
	hasExtract    bool
	proxy         string // content URL of the published datasource it connects to (class sqlproxy), or ""
	tables        []parsedTable
	fields        []parsedField
}

// parsedTable is a table or custom SQL relation with the columns the
// connection metadata lists for it.
type parsedTable struct {
	relation string // the relation's name, as metadata records' parent-name gives it without brackets
	db       parsedDB
	schema   string
	name     string
	query    string // custom SQL; "" for a table
	columns  []parsedColumn
}

type parsedDB struct{ class, server, port, name string }

type parsedColumn struct{ name, remoteType string }

// parsedField is a field of a datasource.
type parsedField struct {
	name, caption, description string
	datatype, role             string
	hidden, calculated         bool
	formula                    string
	refs                       []string // names of the fields a formula uses
	relation, column           string   // the column behind a non-calculated field, when known
}

type parsedSheet struct {
	name   string
	fields []document.FieldUse
}

type parsedDashboard struct {
	name   string
	sheets []string
}

// parseDoc reads a published file. Files the document package refuses are
// reported as errors; the caller treats them as having no lineage.
func parseDoc(ctx context.Context, data []byte) (*parsedDoc, error) {
	d, err := document.Read(ctx, bytes.NewReader(data), nil)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	tree := etree.NewDocument()
	if err := tree.ReadFromBytes(d.XML()); err != nil {
		return nil, fmt.Errorf("tableautest: metadata: reading XML: %w", err)
	}
	root := tree.Root()
	if root == nil {
		return nil, fmt.Errorf("tableautest: metadata: empty document")
	}
	out := &parsedDoc{}
	switch d.Kind() {
	case document.KindWorkbook:
		w, err := d.Workbook()
		if err != nil {
			return nil, err
		}
		xmlDS := map[string]*etree.Element{}
		if dss := root.SelectElement("datasources"); dss != nil {
			for _, e := range dss.SelectElements("datasource") {
				xmlDS[e.SelectAttrValue("name", "")] = e
			}
		}
		for _, ds := range w.Datasources() {
			if ds.IsParameters() {
				continue
			}
			out.datasources = append(out.datasources, parseDS(ds, xmlDS[ds.Name()]))
		}
		for _, ws := range w.Worksheets() {
			out.sheets = append(out.sheets, parsedSheet{name: ws.Name(), fields: ws.Fields()})
		}
		for _, db := range w.Dashboards() {
			out.dashboards = append(out.dashboards, parsedDashboard{name: db.Name(), sheets: db.Sheets()})
		}
	default:
		ds, err := d.Datasource()
		if err != nil {
			return nil, err
		}
		out.datasources = append(out.datasources, parseDS(ds, root))
	}
	return out, nil
}

// parseDS reads one datasource; x is its element (nil when not found).
func parseDS(ds *document.Datasource, x *etree.Element) *parsedDS {
	p := &parsedDS{name: ds.Name(), caption: ds.Caption(), hasExtract: ds.Extract() != nil}
	if p.caption == "" {
		p.caption = p.name
	}
	conns := map[string]parsedDB{}
	var plain *parsedDB
	for _, c := range ds.Connections() {
		db := parsedDB{class: c.Class(), server: c.Server(), port: c.Port(), name: c.DBName()}
		if db.name == "" {
			db.name = c.Filename()
		}
		if db.class == "sqlproxy" {
			p.proxy = c.DBName()
			continue
		}
		conns[c.Name()] = db
		if plain == nil {
			cp := db
			plain = &cp
		}
	}
	// relation name -> column local name -> remote column
	type meta struct{ parent, remote, typ string }
	metas := map[string]meta{}
	if x != nil {
		conn := x.SelectElement("connection")
		if conn != nil {
			seen := map[string]bool{}
			for _, rel := range descendants(conn, "relation") {
				typ := rel.SelectAttrValue("type", "")
				if typ != "table" && typ != "text" {
					continue
				}
				name := rel.SelectAttrValue("name", "")
				if name == "" || seen[name] {
					continue
				}
				seen[name] = true
				db, ok := conns[rel.SelectAttrValue("connection", "")]
				if !ok && plain != nil {
					db = *plain
				}
				t := parsedTable{relation: name, db: db}
				if typ == "text" {
					t.name, t.query = name, strings.TrimSpace(rel.Text())
				} else {
					t.schema, t.name = splitTable(rel.SelectAttrValue("table", name))
				}
				p.tables = append(p.tables, t)
			}
			for _, mr := range descendants(conn, "metadata-record") {
				if mr.SelectAttrValue("class", "") != "column" {
					continue
				}
				local := text(mr, "local-name")
				m := meta{parent: strings.Trim(text(mr, "parent-name"), "[]"), remote: text(mr, "remote-name"), typ: remoteTypeName(text(mr, "remote-type"))}
				if _, dup := metas[local]; !dup && local != "" {
					metas[local] = m
				}
				for i := range p.tables {
					if p.tables[i].relation == m.parent && m.remote != "" {
						p.tables[i].columns = append(p.tables[i].columns, parsedColumn{name: m.remote, remoteType: m.typ})
					}
				}
			}
		}
	}
	for _, f := range ds.Fields() {
		if f.Name() == "" || f.Name() == "[Number of Records]" {
			continue
		}
		pf := parsedField{name: f.Name(), caption: f.DisplayName(), description: f.Description(), datatype: f.Datatype(),
			role: f.Role(), hidden: f.Hidden(), calculated: f.IsCalculated()}
		if pf.calculated {
			pf.formula = f.Formula()
			pf.refs = f.ReferencedFields()
		} else if m, ok := metas[f.Name()]; ok {
			pf.relation, pf.column = m.parent, m.remote
		}
		p.fields = append(p.fields, pf)
	}
	return p
}

// descendants returns every element below e whose tag is name or ends in
// ".name" (object-model files prefix some tags).
func descendants(e *etree.Element, name string) []*etree.Element {
	var out []*etree.Element
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if c.Tag == name || strings.HasSuffix(c.Tag, "."+name) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(e)
	return out
}

func text(e *etree.Element, child string) string {
	if c := e.SelectElement(child); c != nil {
		return strings.TrimSpace(c.Text())
	}
	return ""
}

// splitTable splits "[schema].[table]" (or "[table]").
func splitTable(s string) (schema, table string) {
	parts := strings.Split(s, "].[")
	for i := range parts {
		parts[i] = strings.Trim(parts[i], "[]")
	}
	if len(parts) == 1 {
		return "", parts[0]
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// remoteTypeName names the OLE DB type number metadata records store.
func remoteTypeName(n string) string {
	names := map[string]string{"2": "I2", "3": "I4", "4": "R4", "5": "R8", "6": "CY", "7": "DATE", "11": "BOOL",
		"20": "I8", "72": "GUID", "128": "BYTES", "129": "STR", "130": "WSTR", "131": "NUMERIC",
		"133": "DBDATE", "134": "DBTIME", "135": "DBTIMESTAMP"}
	if v, ok := names[n]; ok {
		return v
	}
	if n == "" {
		return "UNKNOWN"
	}
	return n
}
