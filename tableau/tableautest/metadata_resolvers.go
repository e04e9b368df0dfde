package tableautest

import (
	"context"
	"strconv"

	graphql "github.com/graph-gophers/graphql-go"
)

// This file holds the Metadata API's resolvers: one Go type per GraphQL
// type over the lineage graph; an interface's resolver is the same type as
// its implementations, whose ToXxx methods say which one a node is.

// mdRoot resolves Query; the graph comes with the request's context.
type mdRoot struct{}

func rootList[N any, R any](ctx context.Context, args filterArgs, nodes func(*lgGraph) []N, a func(N) attrs, wrap func(*mdQuery, N) R) []R {
	q := queryOf(ctx)
	return take(q, filterMap(args.Filter, nodes(q.g), a, func(n N) R { return wrap(q, n) }))
}

func rootConn[N any, R any](ctx context.Context, args filterPageArgs, nodes func(*lgGraph) []N, a func(N) attrs, wrap func(*mdQuery, N) R) (*conn[R], error) {
	q := queryOf(ctx)
	return page(q, filterMap(args.Filter, nodes(q.g), a, func(n N) R { return wrap(q, n) }), args.First, args.After)
}

func gDatabases(g *lgGraph) []*lgDatabase   { return g.databases }
func gColumns(g *lgGraph) []*lgColumn       { return g.columns }
func gFields(g *lgGraph) []*lgField         { return g.fields }
func gWorkbooks(g *lgGraph) []*lgWorkbook   { return g.workbooks }
func gSheets(g *lgGraph) []*lgSheet         { return g.sheets }
func gDashboards(g *lgGraph) []*lgDashboard { return g.dashboards }

func dbAttrs(d *lgDatabase) attrs { return attrs{id: d.id, name: d.name, connType: d.connType} }
func tableAttrs(t *lgTable) attrs {
	return attrs{id: t.id, name: t.name, schema: t.schema, fullName: t.fullName()}
}
func colAttrs(c *lgColumn) attrs  { return attrs{id: c.id, name: c.name} }
func fieldAttrs(f *lgField) attrs { return attrs{id: f.id, name: f.name, hidden: f.hidden} }
func dsAttrs(d *lgDatasource) attrs {
	return attrs{id: d.id, name: d.name, luid: d.luid, project: d.project, certified: d.certified}
}
func wbAttrs(w *lgWorkbook) attrs {
	return attrs{id: w.id, name: w.name, luid: w.luid, project: w.project}
}
func sheetAttrs(s *lgSheet) attrs               { return attrs{id: s.id, name: s.name, luid: s.luid} }
func dashAttrs(d *lgDashboard) attrs            { return attrs{id: d.id, name: d.name, luid: d.luid} }
func newDB(q *mdQuery, d *lgDatabase) *dbR      { return &dbR{q, d} }
func newTable(q *mdQuery, t *lgTable) *tableR   { return &tableR{q, t} }
func newCol(q *mdQuery, c *lgColumn) *colR      { return &colR{q, c} }
func newField(q *mdQuery, f *lgField) *fieldR   { return &fieldR{q, f} }
func newDS(q *mdQuery, d *lgDatasource) *dsR    { return &dsR{q, d} }
func newWB(q *mdQuery, w *lgWorkbook) *wbR      { return &wbR{q, w} }
func newSheet(q *mdQuery, s *lgSheet) *sheetR   { return &sheetR{q, s} }
func newDash(q *mdQuery, d *lgDashboard) *dashR { return &dashR{q, d} }
func isTable(t *lgTable) bool                   { return t.query == "" }
func isPublished(d *lgDatasource) bool          { return d.published }
func isEmbedded(d *lgDatasource) bool           { return !d.published }
func pick[T any](all []T, keep func(T) bool) []T {
	var out []T
	for _, x := range all {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func (mdRoot) Databases(ctx context.Context, a filterArgs) []*dbR {
	return rootList(ctx, a, gDatabases, dbAttrs, newDB)
}
func (mdRoot) DatabasesConnection(ctx context.Context, a filterPageArgs) (*conn[*dbR], error) {
	return rootConn(ctx, a, gDatabases, dbAttrs, newDB)
}
func (mdRoot) DatabaseTables(ctx context.Context, a filterArgs) []*tableR {
	return rootList(ctx, a, func(g *lgGraph) []*lgTable { return pick(g.tables, isTable) }, tableAttrs, newTable)
}
func (mdRoot) DatabaseTablesConnection(ctx context.Context, a filterPageArgs) (*conn[*tableR], error) {
	return rootConn(ctx, a, func(g *lgGraph) []*lgTable { return pick(g.tables, isTable) }, tableAttrs, newTable)
}
func (mdRoot) Columns(ctx context.Context, a filterArgs) []*colR {
	return rootList(ctx, a, gColumns, colAttrs, newCol)
}
func (mdRoot) ColumnsConnection(ctx context.Context, a filterPageArgs) (*conn[*colR], error) {
	return rootConn(ctx, a, gColumns, colAttrs, newCol)
}
func (mdRoot) Fields(ctx context.Context, a filterArgs) []*fieldR {
	return rootList(ctx, a, gFields, fieldAttrs, newField)
}
func (mdRoot) FieldsConnection(ctx context.Context, a filterPageArgs) (*conn[*fieldR], error) {
	return rootConn(ctx, a, gFields, fieldAttrs, newField)
}
func (mdRoot) PublishedDatasources(ctx context.Context, a filterArgs) []*dsR {
	return rootList(ctx, a, func(g *lgGraph) []*lgDatasource { return pick(g.datasources, isPublished) }, dsAttrs, newDS)
}
func (mdRoot) PublishedDatasourcesConnection(ctx context.Context, a filterPageArgs) (*conn[*dsR], error) {
	return rootConn(ctx, a, func(g *lgGraph) []*lgDatasource { return pick(g.datasources, isPublished) }, dsAttrs, newDS)
}
func (mdRoot) EmbeddedDatasources(ctx context.Context, a filterArgs) []*dsR {
	return rootList(ctx, a, func(g *lgGraph) []*lgDatasource { return pick(g.datasources, isEmbedded) }, dsAttrs, newDS)
}
func (mdRoot) EmbeddedDatasourcesConnection(ctx context.Context, a filterPageArgs) (*conn[*dsR], error) {
	return rootConn(ctx, a, func(g *lgGraph) []*lgDatasource { return pick(g.datasources, isEmbedded) }, dsAttrs, newDS)
}
func (mdRoot) Workbooks(ctx context.Context, a filterArgs) []*wbR {
	return rootList(ctx, a, gWorkbooks, wbAttrs, newWB)
}
func (mdRoot) WorkbooksConnection(ctx context.Context, a filterPageArgs) (*conn[*wbR], error) {
	return rootConn(ctx, a, gWorkbooks, wbAttrs, newWB)
}
func (mdRoot) Sheets(ctx context.Context, a filterArgs) []*sheetR {
	return rootList(ctx, a, gSheets, sheetAttrs, newSheet)
}
func (mdRoot) SheetsConnection(ctx context.Context, a filterPageArgs) (*conn[*sheetR], error) {
	return rootConn(ctx, a, gSheets, sheetAttrs, newSheet)
}
func (mdRoot) Dashboards(ctx context.Context, a filterArgs) []*dashR {
	return rootList(ctx, a, gDashboards, dashAttrs, newDash)
}
func (mdRoot) DashboardsConnection(ctx context.Context, a filterPageArgs) (*conn[*dashR], error) {
	return rootConn(ctx, a, gDashboards, dashAttrs, newDash)
}

// ---- databases

type dbR struct {
	q *mdQuery
	d *lgDatabase
}

func (r *dbR) ToDatabaseServer() (*dbR, bool) { return r, true }
func (r *dbR) ID() graphql.ID                 { return graphql.ID(r.d.id) }
func (r *dbR) Name() string                   { return r.d.name }
func (r *dbR) ConnectionType() string         { return r.d.connType }
func (r *dbR) IsEmbedded() *bool              { return boolp(false) }
func (r *dbR) Description() *string           { return nil }
func (r *dbR) IsCertified() *bool             { return boolp(false) }
func (r *dbR) HostName() *string              { return strp(r.d.host) }
func (r *dbR) Port() *int32 {
	if p, err := strconv.Atoi(r.d.port); err == nil {
		v := int32(p)
		return &v
	}
	return nil
}
func (r *dbR) Tables() []*tableR { return take(r.q, mapList(r.d.tables, r.q.table)) }
func (r *dbR) DownstreamWorkbooks() []*wbR {
	var wbs []*lgWorkbook
	for _, t := range r.d.tables {
		wbs = appendUnique(wbs, tableWorkbooks(t)...)
	}
	return take(r.q, mapList(wbs, r.q.wb))
}

func (q *mdQuery) table(t *lgTable) *tableR   { return &tableR{q, t} }
func (q *mdQuery) col(c *lgColumn) *colR      { return &colR{q, c} }
func (q *mdQuery) field(f *lgField) *fieldR   { return &fieldR{q, f} }
func (q *mdQuery) ds(d *lgDatasource) *dsR    { return &dsR{q, d} }
func (q *mdQuery) wb(w *lgWorkbook) *wbR      { return &wbR{q, w} }
func (q *mdQuery) sheet(s *lgSheet) *sheetR   { return &sheetR{q, s} }
func (q *mdQuery) dash(d *lgDashboard) *dashR { return &dashR{q, d} }
func (q *mdQuery) db(d *lgDatabase) *dbR      { return &dbR{q, d} }
func (q *mdQuery) user(u *lgUser) *userR      { return &userR{u} }

func appendUnique[T comparable](list []T, xs ...T) []T {
	for _, x := range xs {
		if !containsPtr(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// ---- tables and columns

type tableR struct {
	q *mdQuery
	t *lgTable
}

func (r *tableR) ToDatabaseTable() (*tableR, bool)  { return r, r.t.query == "" }
func (r *tableR) ToCustomSQLTable() (*tableR, bool) { return r, r.t.query != "" }
func (r *tableR) ID() graphql.ID                    { return graphql.ID(r.t.id) }
func (r *tableR) Name() string                      { return r.t.name }
func (r *tableR) IsEmbedded() *bool                 { return boolp(false) }
func (r *tableR) Description() *string              { return nil }
func (r *tableR) IsCertified() *bool                { return boolp(false) }
func (r *tableR) Schema() *string                   { return strp(r.t.schema) }
func (r *tableR) FullName() *string {
	if r.t.query != "" {
		return nil
	}
	return strp(r.t.fullName())
}
func (r *tableR) Query() *string   { return strp(r.t.query) }
func (r *tableR) Database() *dbR   { return r.q.db(r.t.db) }
func (r *tableR) Columns() []*colR { return take(r.q, mapList(r.t.columns, r.q.col)) }
func (r *tableR) ColumnsConnection(a pageArgs) (*conn[*colR], error) {
	return page(r.q, mapList(r.t.columns, r.q.col), a.First, a.After)
}
func (r *tableR) DownstreamWorkbooks() []*wbR { return take(r.q, mapList(tableWorkbooks(r.t), r.q.wb)) }

// tableWorkbooks returns the workbooks that use a table, directly or
// through a published datasource.
func tableWorkbooks(t *lgTable) []*lgWorkbook {
	var out []*lgWorkbook
	for _, ds := range t.datasources {
		out = appendUnique(out, dsWorkbooks(ds)...)
	}
	return out
}

func dsWorkbooks(ds *lgDatasource) []*lgWorkbook {
	if ds.workbook != nil {
		return []*lgWorkbook{ds.workbook}
	}
	var out []*lgWorkbook
	for _, e := range ds.downstream {
		if e.workbook != nil {
			out = appendUnique(out, e.workbook)
		}
	}
	return out
}

type colR struct {
	q *mdQuery
	c *lgColumn
}

func (r *colR) ID() graphql.ID                { return graphql.ID(r.c.id) }
func (r *colR) Name() string                  { return r.c.name }
func (r *colR) Description() *string          { return nil }
func (r *colR) RemoteType() *string           { return strp(r.c.remoteType) }
func (r *colR) Table() *tableR                { return r.q.table(r.c.table) }
func (r *colR) ReferencedByFields() []*fieldR { return take(r.q, mapList(r.c.fields, r.q.field)) }
func (r *colR) ReferencedByFieldsConnection(a pageArgs) (*conn[*fieldR], error) {
	return page(r.q, mapList(r.c.fields, r.q.field), a.First, a.After)
}

// ---- datasources

type dsR struct {
	q *mdQuery
	d *lgDatasource
}

func (r *dsR) ToPublishedDatasource() (*dsR, bool) { return r, r.d.published }
func (r *dsR) ToEmbeddedDatasource() (*dsR, bool)  { return r, !r.d.published }
func (r *dsR) ID() graphql.ID                      { return graphql.ID(r.d.id) }
func (r *dsR) Luid() string                        { return r.d.luid }
func (r *dsR) Name() string                        { return r.d.name }
func (r *dsR) Description() *string                { return strp(r.d.desc) }
func (r *dsR) HasExtracts() *bool                  { return boolp(r.d.hasExtracts) }
func (r *dsR) IsCertified() bool                   { return r.d.certified }
func (r *dsR) CertificationNote() *string          { return strp(r.d.certNote) }
func (r *dsR) ProjectName() string                 { return r.d.project }
func (r *dsR) Owner() *userR                       { return r.q.user(r.d.owner) }
func (r *dsR) URI() string                         { return r.d.uri }
func (r *dsR) VizportalURLID() string              { return r.d.urlID }
func (r *dsR) Workbook() *wbR {
	if r.d.workbook == nil {
		return nil
	}
	return r.q.wb(r.d.workbook)
}
func (r *dsR) UpstreamDatasources() []*dsR { return take(r.q, mapList(r.d.upstream, r.q.ds)) }
func (r *dsR) Fields() []*fieldR           { return take(r.q, mapList(r.d.fields, r.q.field)) }
func (r *dsR) FieldsConnection(a pageArgs) (*conn[*fieldR], error) {
	return page(r.q, mapList(r.d.fields, r.q.field), a.First, a.After)
}
func (r *dsR) UpstreamTables() []*tableR { return take(r.q, mapList(dsTables(r.d), r.q.table)) }
func (r *dsR) UpstreamDatabases() []*dbR { return take(r.q, mapList(tablesDBs(dsTables(r.d)), r.q.db)) }
func (r *dsR) DownstreamSheets() []*sheetR {
	var out []*lgSheet
	for _, f := range r.d.fields {
		out = appendUnique(out, fieldSheets(f)...)
	}
	return take(r.q, mapList(out, r.q.sheet))
}
func (r *dsR) DownstreamWorkbooks() []*wbR { return take(r.q, mapList(dsWorkbooks(r.d), r.q.wb)) }

func dsTables(d *lgDatasource) []*lgTable {
	out := appendUnique([]*lgTable(nil), d.tables...)
	for _, u := range d.upstream {
		out = appendUnique(out, u.tables...)
	}
	return out
}

func tablesDBs(ts []*lgTable) []*lgDatabase {
	var out []*lgDatabase
	for _, t := range ts {
		out = appendUnique(out, t.db)
	}
	return out
}

// ---- fields

type fieldR struct {
	q *mdQuery
	f *lgField
}

func (r *fieldR) ToColumnField() (*fieldR, bool)     { return r, r.f.kind == kindColumnField }
func (r *fieldR) ToCalculatedField() (*fieldR, bool) { return r, r.f.kind == kindCalculatedField }
func (r *fieldR) ToDatasourceField() (*fieldR, bool) { return r, r.f.kind == kindDatasourceField }
func (r *fieldR) ID() graphql.ID                     { return graphql.ID(r.f.id) }
func (r *fieldR) Name() string                       { return r.f.name }
func (r *fieldR) Description() *string               { return strp(r.f.desc) }
func (r *fieldR) IsHidden() bool                     { return r.f.hidden }
func (r *fieldR) FolderName() *string                { return strp(r.f.folder) }
func (r *fieldR) Role() string                       { return r.f.role }
func (r *fieldR) DataType() string                   { return r.f.dataType }
func (r *fieldR) Aggregation() *string               { return nil }
func (r *fieldR) Formula() *string                   { return strp(r.f.formula) }
func (r *fieldR) Columns() []*colR                   { return take(r.q, mapList(r.f.columns, r.q.col)) }
func (r *fieldR) Fields() []*fieldR                  { return take(r.q, mapList(r.f.refs, r.q.field)) }
func (r *fieldR) RemoteField() *fieldR {
	if r.f.remote == nil {
		return nil
	}
	return r.q.field(r.f.remote)
}
func (r *fieldR) Datasource() *dsR              { return r.q.ds(r.f.ds) }
func (r *fieldR) ReferencedByFields() []*fieldR { return take(r.q, mapList(r.f.refBy, r.q.field)) }
func (r *fieldR) ReferencedByRemoteFields() []*fieldR {
	return take(r.q, mapList(r.f.remoteBy, r.q.field))
}
func (r *fieldR) Sheets() []*sheetR           { return take(r.q, mapList(r.f.sheets, r.q.sheet)) }
func (r *fieldR) DownstreamSheets() []*sheetR { return take(r.q, mapList(fieldSheets(r.f), r.q.sheet)) }
func (r *fieldR) UpstreamColumns() []*colR    { return take(r.q, mapList(fieldColumns(r.f), r.q.col)) }
func (r *fieldR) UpstreamTables() []*tableR {
	var ts []*lgTable
	for _, c := range fieldColumns(r.f) {
		ts = appendUnique(ts, c.table)
	}
	return take(r.q, mapList(ts, r.q.table))
}
func (r *fieldR) DownstreamDashboards() []*dashR {
	var out []*lgDashboard
	for _, s := range fieldSheets(r.f) {
		out = appendUnique(out, s.dashboards...)
	}
	return take(r.q, mapList(out, r.q.dash))
}
func (r *fieldR) DownstreamWorkbooks() []*wbR {
	var out []*lgWorkbook
	for _, f := range fieldDownstream(r.f) {
		if f.ds.workbook != nil {
			out = appendUnique(out, f.ds.workbook)
		}
	}
	return take(r.q, mapList(out, r.q.wb))
}

// fieldDownstream returns f and every field that uses it, through
// formulas and published datasources.
func fieldDownstream(f *lgField) []*lgField {
	seen := map[*lgField]bool{f: true}
	out := []*lgField{f}
	for i := 0; i < len(out); i++ {
		for _, n := range append(append([]*lgField(nil), out[i].refBy...), out[i].remoteBy...) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func fieldSheets(f *lgField) []*lgSheet {
	var out []*lgSheet
	for _, d := range fieldDownstream(f) {
		out = appendUnique(out, d.sheets...)
	}
	return out
}

// fieldColumns returns the columns f is computed from.
func fieldColumns(f *lgField) []*lgColumn {
	seen := map[*lgField]bool{f: true}
	todo := []*lgField{f}
	var out []*lgColumn
	for len(todo) > 0 {
		x := todo[0]
		todo = todo[1:]
		out = appendUnique(out, x.columns...)
		next := append([]*lgField(nil), x.refs...)
		if x.remote != nil {
			next = append(next, x.remote)
		}
		for _, n := range next {
			if !seen[n] {
				seen[n] = true
				todo = append(todo, n)
			}
		}
	}
	return out
}

// ---- sheets, dashboards, workbooks, users

type sheetR struct {
	q *mdQuery
	s *lgSheet
}

func (r *sheetR) ID() graphql.ID              { return graphql.ID(r.s.id) }
func (r *sheetR) Luid() *string               { return strp(r.s.luid) }
func (r *sheetR) Name() string                { return r.s.name }
func (r *sheetR) Path() string                { return r.s.path }
func (r *sheetR) Index() *int32               { return &r.s.index }
func (r *sheetR) Workbook() *wbR              { return r.q.wb(r.s.wb) }
func (r *sheetR) DatasourceFields() []*fieldR { return take(r.q, mapList(r.s.fields, r.q.field)) }
func (r *sheetR) ContainedInDashboards() []*dashR {
	return take(r.q, mapList(r.s.dashboards, r.q.dash))
}

type dashR struct {
	q *mdQuery
	d *lgDashboard
}

func (r *dashR) ID() graphql.ID    { return graphql.ID(r.d.id) }
func (r *dashR) Luid() *string     { return strp(r.d.luid) }
func (r *dashR) Name() string      { return r.d.name }
func (r *dashR) Path() string      { return r.d.path }
func (r *dashR) Index() *int32     { return &r.d.index }
func (r *dashR) Workbook() *wbR    { return r.q.wb(r.d.wb) }
func (r *dashR) Sheets() []*sheetR { return take(r.q, mapList(r.d.sheets, r.q.sheet)) }

type wbR struct {
	q *mdQuery
	w *lgWorkbook
}

func (r *wbR) ID() graphql.ID              { return graphql.ID(r.w.id) }
func (r *wbR) Luid() string                { return r.w.luid }
func (r *wbR) Name() string                { return r.w.name }
func (r *wbR) Description() *string        { return strp(r.w.desc) }
func (r *wbR) ProjectName() string         { return r.w.project }
func (r *wbR) Owner() *userR               { return r.q.user(r.w.owner) }
func (r *wbR) URI() string                 { return r.w.uri }
func (r *wbR) VizportalURLID() string      { return r.w.urlID }
func (r *wbR) Sheets() []*sheetR           { return take(r.q, mapList(r.w.sheets, r.q.sheet)) }
func (r *wbR) Dashboards() []*dashR        { return take(r.q, mapList(r.w.dashboards, r.q.dash)) }
func (r *wbR) EmbeddedDatasources() []*dsR { return take(r.q, mapList(r.w.datasources, r.q.ds)) }
func (r *wbR) UpstreamTables() []*tableR   { return take(r.q, mapList(r.tables(), r.q.table)) }
func (r *wbR) UpstreamDatabases() []*dbR   { return take(r.q, mapList(tablesDBs(r.tables()), r.q.db)) }
func (r *wbR) UpstreamDatasources() []*dsR {
	var out []*lgDatasource
	for _, d := range r.w.datasources {
		out = appendUnique(out, d.upstream...)
	}
	return take(r.q, mapList(out, r.q.ds))
}
func (r *wbR) tables() []*lgTable {
	var out []*lgTable
	for _, d := range r.w.datasources {
		out = appendUnique(out, dsTables(d)...)
	}
	return out
}

type userR struct{ u *lgUser }

func (r *userR) ID() graphql.ID   { return graphql.ID(r.u.id) }
func (r *userR) Luid() string     { return r.u.luid }
func (r *userR) Username() string { return r.u.username }
func (r *userR) Name() *string    { return strp(r.u.name) }
func (r *userR) Email() *string   { return nil }

// The emulator makes no bins, groups, sets, combined fields or
// hierarchies; the schema has them because Tableau Server returns them.
func (r *fieldR) ToBinField() (*fieldR, bool)         { return r, false }
func (r *fieldR) ToGroupField() (*fieldR, bool)       { return r, false }
func (r *fieldR) ToSetField() (*fieldR, bool)         { return r, false }
func (r *fieldR) ToCombinedField() (*fieldR, bool)    { return r, false }
func (r *fieldR) ToCombinedSetField() (*fieldR, bool) { return r, false }
func (r *fieldR) ToHierarchyField() (*fieldR, bool)   { return r, false }
