package tableautest

import (
	"crypto/sha1"
	"fmt"
	"strings"
)

// This file assembles the lineage graph the Metadata API answers from:
// databases, tables and columns from the connections and relations of the
// published files, their datasources and fields, and the workbooks' sheets
// and dashboards, all linked both ways.

type lgDatabase struct {
	id, name, connType, host, port string
	tables                         []*lgTable
}

type lgTable struct {
	id, name, schema, query string
	db                      *lgDatabase
	columns                 []*lgColumn
	byName                  map[string]*lgColumn
	datasources             []*lgDatasource
}

func (t *lgTable) fullName() string {
	if t.schema == "" {
		return "[" + t.name + "]"
	}
	return "[" + t.schema + "].[" + t.name + "]"
}

type lgColumn struct {
	id, name, remoteType string
	table                *lgTable
	fields               []*lgField
}

type lgUser struct{ id, luid, username, name string }

type lgDatasource struct {
	id, luid, name, desc, project, uri, urlID string
	published, hasExtracts, certified         bool
	certNote                                  string
	owner                                     *lgUser
	workbook                                  *lgWorkbook
	upstream                                  []*lgDatasource // published datasources an embedded one connects to
	downstream                                []*lgDatasource // embedded datasources connecting to a published one
	tables                                    []*lgTable
	fields                                    []*lgField
	byName                                    map[string]*lgField
}

// field kinds
const (
	kindColumnField     = "ColumnField"
	kindCalculatedField = "CalculatedField"
	kindDatasourceField = "DatasourceField"
)

type lgField struct {
	id, key, name, kind, desc, role, dataType, formula, folder string
	hidden                                                     bool
	ds                                                         *lgDatasource
	columns                                                    []*lgColumn
	refs, refBy                                                []*lgField // formula references, both ways
	remote                                                     *lgField
	remoteBy                                                   []*lgField
	sheets                                                     []*lgSheet
}

type lgSheet struct {
	id, luid, name, path string
	index                int32
	wb                   *lgWorkbook
	fields               []*lgField
	dashboards           []*lgDashboard
}

type lgDashboard struct {
	id, luid, name, path string
	index                int32
	wb                   *lgWorkbook
	sheets               []*lgSheet
}

type lgWorkbook struct {
	id, luid, name, desc, project, uri, urlID string
	owner                                     *lgUser
	sheets                                    []*lgSheet
	dashboards                                []*lgDashboard
	datasources                               []*lgDatasource
}

// lgGraph is the lineage of one site.
type lgGraph struct {
	databases   []*lgDatabase
	tables      []*lgTable
	columns     []*lgColumn
	fields      []*lgField
	datasources []*lgDatasource // published, then embedded, in publish order
	workbooks   []*lgWorkbook
	sheets      []*lgSheet
	dashboards  []*lgDashboard
}

// mdItem is what the graph needs of a published item, copied out of the store.
type mdItem struct {
	kind                                         resKind
	id, name, desc, project, contentURL, siteURL string
	owner                                        *lgUser
	certified, hasExtracts                       bool
	certNote                                     string
	views                                        map[string]string // view name -> id
	doc                                          *parsedDoc        // nil when the file could not be read
}

// lid makes a stable id from parts (a UUID-shaped SHA-1 digest).
func lid(parts ...string) string {
	h := sha1.Sum([]byte(strings.Join(parts, "\x00")))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// buildGraph links the items of a site.
func buildGraph(items []mdItem) *lgGraph {
	g := &lgGraph{}
	dbs := map[string]*lgDatabase{}
	tables := map[string]*lgTable{}
	byURL := map[string]*lgDatasource{}
	type proxied struct {
		ds  *lgDatasource
		url string
	}
	var proxies []proxied
	var embedded []*lgDatasource

	dbOf := func(p parsedDB) *lgDatabase {
		key := lid("db", p.class, strings.ToLower(p.server), p.port, p.name)
		if d := dbs[key]; d != nil {
			return d
		}
		name := p.name
		if name == "" {
			name = p.server
		}
		d := &lgDatabase{id: key, name: name, connType: p.class, host: p.server, port: p.port}
		dbs[key] = d
		g.databases = append(g.databases, d)
		return d
	}
	tableOf := func(db *lgDatabase, pt parsedTable) *lgTable {
		key := lid("table", db.id, pt.schema, pt.name, pt.query)
		t := tables[key]
		if t == nil {
			t = &lgTable{id: key, name: pt.name, schema: pt.schema, query: pt.query, db: db, byName: map[string]*lgColumn{}}
			tables[key] = t
			db.tables = append(db.tables, t)
			g.tables = append(g.tables, t)
		}
		for _, c := range pt.columns {
			if t.byName[c.name] == nil {
				col := &lgColumn{id: lid("column", t.id, c.name), name: c.name, remoteType: c.remoteType, table: t}
				t.byName[c.name] = col
				t.columns = append(t.columns, col)
				g.columns = append(g.columns, col)
			}
		}
		return t
	}
	addDS := func(it *mdItem, pd *parsedDS, ds *lgDatasource) {
		ds.hasExtracts = ds.hasExtracts || pd.hasExtract
		ds.byName = map[string]*lgField{}
		rel := map[string]*lgTable{}
		for _, pt := range pd.tables {
			t := tableOf(dbOf(pt.db), pt)
			rel[pt.relation] = t
			ds.tables = append(ds.tables, t)
			t.datasources = append(t.datasources, ds)
		}
		for _, pf := range pd.fields {
			f := &lgField{id: lid("field", ds.id, pf.name), key: pf.name, name: pf.caption, desc: pf.description, role: fieldRole(pf.role),
				dataType: fieldDataType(pf.datatype), hidden: pf.hidden, ds: ds, kind: kindColumnField}
			if pf.calculated {
				f.kind, f.formula = kindCalculatedField, pf.formula
			} else if t := rel[pf.relation]; t != nil && t.byName[pf.column] != nil {
				col := t.byName[pf.column]
				f.columns = []*lgColumn{col}
				col.fields = append(col.fields, f)
			}
			ds.fields = append(ds.fields, f)
			ds.byName[pf.name] = f
			g.fields = append(g.fields, f)
		}
		for i, pf := range pd.fields {
			f := ds.fields[i]
			for _, r := range pf.refs {
				if u := ds.byName[r]; u != nil && u != f {
					f.refs = append(f.refs, u)
					u.refBy = append(u.refBy, f)
				}
			}
		}
		if pd.proxy != "" {
			proxies = append(proxies, proxied{ds, strings.ToLower(pd.proxy)})
		}
	}

	for i := range items {
		it := &items[i]
		if it.kind != resDatasource || it.doc == nil || len(it.doc.datasources) == 0 {
			continue
		}
		ds := &lgDatasource{id: lid("pds", it.id), luid: it.id, name: it.name, desc: it.desc, project: it.project,
			published: true, hasExtracts: it.hasExtracts, certified: it.certified, certNote: it.certNote, owner: it.owner,
			uri: "sites/" + it.siteURL + "/datasources/" + it.id, urlID: it.contentURL}
		addDS(it, it.doc.datasources[0], ds)
		g.datasources = append(g.datasources, ds)
		byURL[strings.ToLower(it.contentURL)] = ds
	}
	for i := range items {
		it := &items[i]
		if it.kind != resWorkbook {
			continue
		}
		wb := &lgWorkbook{id: lid("wb", it.id), luid: it.id, name: it.name, desc: it.desc, project: it.project, owner: it.owner,
			uri: "sites/" + it.siteURL + "/workbooks/" + it.id, urlID: it.contentURL}
		g.workbooks = append(g.workbooks, wb)
		if it.doc == nil {
			continue
		}
		dsByName := map[string]*lgDatasource{}
		for _, pd := range it.doc.datasources {
			ds := &lgDatasource{id: lid("eds", it.id, pd.name), name: pd.caption, workbook: wb}
			addDS(it, pd, ds)
			wb.datasources = append(wb.datasources, ds)
			embedded = append(embedded, ds)
			dsByName[pd.name] = ds
		}
		sheets := map[string]*lgSheet{}
		for i, ps := range it.doc.sheets {
			sh := &lgSheet{id: lid("sheet", it.id, ps.name), luid: it.views[ps.name], name: ps.name, path: it.contentURL + "/" + urlName(ps.name), index: int32(i), wb: wb}
			for _, u := range ps.fields {
				ds := dsByName[u.Datasource]
				if ds == nil {
					continue
				}
				f := ds.byName[u.Field]
				if f == nil {
					f = ds.byName[baseFieldName(u.Field)]
				}
				if f != nil && !containsPtr(sh.fields, f) {
					sh.fields = append(sh.fields, f)
					f.sheets = append(f.sheets, sh)
				}
			}
			sheets[ps.name] = sh
			wb.sheets = append(wb.sheets, sh)
			g.sheets = append(g.sheets, sh)
		}
		for i, pdb := range it.doc.dashboards {
			db := &lgDashboard{id: lid("dashboard", it.id, pdb.name), luid: it.views[pdb.name], name: pdb.name, path: it.contentURL + "/" + urlName(pdb.name), index: int32(len(it.doc.sheets) + i), wb: wb}
			for _, n := range pdb.sheets {
				if sh := sheets[n]; sh != nil {
					db.sheets = append(db.sheets, sh)
					sh.dashboards = append(sh.dashboards, db)
				}
			}
			wb.dashboards = append(wb.dashboards, db)
			g.dashboards = append(g.dashboards, db)
		}
	}
	for _, p := range proxies {
		up := byURL[p.url]
		if up == nil {
			continue
		}
		p.ds.upstream = append(p.ds.upstream, up)
		up.downstream = append(up.downstream, p.ds)
		for _, f := range p.ds.fields {
			if f.kind == kindCalculatedField {
				continue
			}
			if rf := up.byName[f.key]; rf != nil {
				f.kind, f.remote = kindDatasourceField, rf
				rf.remoteBy = append(rf.remoteBy, f)
			}
		}
	}
	g.datasources = append(g.datasources, embedded...)
	return g
}

// baseFieldName turns a worksheet's derived name "[sum:Sales:qk]" into "[Sales]".
func baseFieldName(n string) string {
	s := strings.Trim(n, "[]")
	parts := strings.Split(s, ":")
	if len(parts) >= 3 {
		return "[" + strings.Join(parts[1:len(parts)-1], ":") + "]"
	}
	return n
}

func containsPtr[T comparable](list []T, x T) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

func fieldRole(r string) string {
	switch strings.ToLower(r) {
	case "dimension":
		return "DIMENSION"
	case "measure":
		return "MEASURE"
	}
	return "UNKNOWN"
}

func fieldDataType(t string) string {
	switch strings.ToLower(t) {
	case "integer":
		return "INTEGER"
	case "real":
		return "REAL"
	case "string":
		return "STRING"
	case "datetime":
		return "DATETIME"
	case "date":
		return "DATE"
	case "boolean":
		return "BOOLEAN"
	case "spatial":
		return "SPATIAL"
	case "tuple":
		return "TUPLE"
	}
	return "UNKNOWN"
}
