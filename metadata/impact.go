package metadata

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// Target says where an impact analysis starts: a database, schema, table
// or column (names compared without regard to case; empty parts match
// anything, but Database or Table must be set), or a field of a published
// datasource (Datasource and Field).
type Target struct {
	Database string
	Schema   string
	Table    string
	Column   string
	// Datasource is a published datasource's name or LUID.
	Datasource string
	// Field is the field's name (caption) in that datasource.
	Field string
}

// ErrBadTarget wraps errors about a [Target] that names nothing to start from.
var ErrBadTarget = errors.New("metadata: bad impact target")

func (t Target) isField() bool { return t.Datasource != "" || t.Field != "" }

func (t Target) valid() error {
	if t.isField() {
		if t.Datasource == "" || t.Field == "" {
			return fmt.Errorf("%w: a field target needs both Datasource and Field", ErrBadTarget)
		}
		if t.Database != "" || t.Schema != "" || t.Table != "" || t.Column != "" {
			return fmt.Errorf("%w: give either a database object or a datasource field, not both", ErrBadTarget)
		}
		return nil
	}
	if t.Database == "" && t.Table == "" {
		return fmt.Errorf("%w: set Database or Table (or Datasource and Field)", ErrBadTarget)
	}
	return nil
}

// String writes the target as [ParseTarget] reads it.
func (t Target) String() string {
	if t.isField() {
		return "datasource:" + t.Datasource + "/" + t.Field
	}
	parts := []string{t.Database, t.Schema, t.Table, t.Column}
	for len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

// ParseTarget reads "database.schema.table.column" (trailing parts may be
// left out, empty parts match anything: "sales..orders.amount"), or
// "datasource:NAME/FIELD" for a field of a published datasource.
func ParseTarget(s string) (Target, error) {
	if rest, ok := strings.CutPrefix(s, "datasource:"); ok {
		ds, f, ok := strings.Cut(rest, "/")
		t := Target{Datasource: ds, Field: f}
		if !ok {
			return t, fmt.Errorf("%w: %q: want datasource:NAME/FIELD", ErrBadTarget, s)
		}
		return t, t.valid()
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return Target{}, fmt.Errorf("%w: %q: want database.schema.table.column", ErrBadTarget, s)
	}
	parts = append(parts, "", "", "")
	t := Target{Database: parts[0], Schema: parts[1], Table: parts[2], Column: parts[3]}
	return t, t.valid()
}

// NodeKind is the kind of a node of a lineage graph.
type NodeKind string

// Node kinds.
const (
	KindDatabase            NodeKind = "database"
	KindTable               NodeKind = "table"
	KindColumn              NodeKind = "column"
	KindField               NodeKind = "field"
	KindCalculatedField     NodeKind = "calculated field"
	KindPublishedDatasource NodeKind = "published datasource"
	KindSheet               NodeKind = "sheet"
	KindDashboard           NodeKind = "dashboard"
	KindWorkbook            NodeKind = "workbook"
)

// Node is one thing in a lineage graph.
type Node struct {
	ID   string   `json:"id"`
	Kind NodeKind `json:"kind"`
	Name string   `json:"name"`
	// LUID is the REST API id of a workbook, view or published datasource.
	LUID string `json:"luid,omitempty"`
	// Formula of a calculated field.
	Formula string `json:"formula,omitempty"`
	// Container names the datasource of a field, the workbook of a sheet
	// or dashboard, the table of a column, the database of a table.
	Container string `json:"container,omitempty"`
	// Project and Owner of a workbook or published datasource (for fields,
	// sheets and dashboards: of the workbook or datasource holding them).
	Project string `json:"project,omitempty"`
	Owner   string `json:"owner,omitempty"`
	// Path lists the names from the start of the analysis to this node.
	Path []string `json:"path"`
}

// Edge says To depends on From.
type Edge struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Impact is the result of [Client.Impact]: the start nodes and everything
// downstream, with the edges between them.
type Impact struct {
	Target Target `json:"target"`
	// Start are the ids of the nodes the analysis started from.
	Start []string `json:"start"`
	// Nodes in the order found (breadth first from the start).
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// Dependents returns the nodes that depend on the target: every field,
// calculated field, sheet, dashboard, workbook and published datasource
// downstream (not the target's own database, tables and columns).
func (im *Impact) Dependents() []Node {
	var out []Node
	for _, n := range im.Nodes {
		switch n.Kind {
		case KindDatabase, KindTable, KindColumn:
			continue
		}
		if slices.Contains(im.Start, n.ID) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// Count returns how many dependents are of each kind.
func (im *Impact) Count() map[NodeKind]int {
	m := map[NodeKind]int{}
	for _, n := range im.Dependents() {
		m[n.Kind]++
	}
	return m
}

// ImpactOptions tunes [Client.Impact]. A nil *ImpactOptions uses every default.
type ImpactOptions struct {
	// MaxFields stops the walk after that many fields, as a guard against
	// runaway graphs. Default: 100000.
	MaxFields int
}

// impactBuilder collects the graph.
type impactBuilder struct {
	im    *Impact
	index map[string]int
	edges map[Edge]bool
}

func (b *impactBuilder) node(n Node) {
	if i, ok := b.index[n.ID]; ok {
		old := &b.im.Nodes[i]
		if old.Formula == "" {
			old.Formula = n.Formula
		}
		if old.Container == "" {
			old.Container = n.Container
		}
		return
	}
	b.index[n.ID] = len(b.im.Nodes)
	b.im.Nodes = append(b.im.Nodes, n)
}

func (b *impactBuilder) edge(from, to string) {
	e := Edge{from, to}
	if from == to || b.edges[e] {
		return
	}
	b.edges[e] = true
	b.im.Edges = append(b.im.Edges, e)
}

// Impact finds everything that depends on a database object or a
// published datasource's field: the fields that use it, the calculated
// fields that use those, the published datasources, sheets, dashboards
// and workbooks downstream, with owners, projects and the path from the
// target to each. It pages through the Metadata API (see [Pager]).
func (c *Client) Impact(ctx context.Context, t Target, opts *ImpactOptions) (*Impact, error) {
	if err := t.valid(); err != nil {
		return nil, err
	}
	o := ImpactOptions{}
	if opts != nil {
		o = *opts
	}
	if o.MaxFields < 0 {
		return nil, fmt.Errorf("%w: metadata: ImpactOptions.MaxFields must not be negative", tableau.ErrInvalidArgument)
	}
	if o.MaxFields == 0 {
		o.MaxFields = 100000
	}
	b := &impactBuilder{im: &Impact{Target: t}, index: map[string]int{}, edges: map[Edge]bool{}}
	var frontier []string
	var err error
	if t.isField() {
		frontier, err = c.startAtField(ctx, t, b)
	} else {
		frontier, err = c.startAtTable(ctx, t, b)
	}
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for len(frontier) > 0 {
		var next []string
		for chunk := range slices.Chunk(frontier, 100) {
			for _, id := range chunk {
				done[id] = true
			}
			if len(done) > o.MaxFields {
				return nil, fmt.Errorf("metadata: impact of %s: more than %d fields (ImpactOptions.MaxFields)", t, o.MaxFields)
			}
			ids := chunk
			p := NewPager(func(ctx context.Context, first int, after string) (Page[FieldsPageFieldsConnectionNodesField], error) {
				r, err := FieldsPage(ctx, c, first, after, ids)
				if r == nil {
					return Page[FieldsPageFieldsConnectionNodesField]{}, err
				}
				fc := r.FieldsConnection
				return Page[FieldsPageFieldsConnectionNodesField]{Nodes: fc.Nodes, TotalCount: fc.TotalCount,
					PageInfo: PageInfo{fc.PageInfo.HasNextPage, fc.PageInfo.EndCursor}}, err
			}, c.opts.PageSize)
			for f, err := range p.All(ctx) {
				if err != nil {
					return nil, fmt.Errorf("metadata: impact of %s: %w", t, err)
				}
				for _, id := range b.addField(f) {
					if !done[id] && !slices.Contains(next, id) {
						next = append(next, id)
					}
				}
			}
		}
		frontier = next
	}
	b.paths()
	return b.im, nil
}

// startAtTable finds the target's columns; it returns the ids of the
// fields that use them.
func (c *Client) startAtTable(ctx context.Context, t Target, b *impactBuilder) ([]string, error) {
	if t.Table != "" {
		// The server's filters match exactly; try that first, then compare
		// every table's name without regard to case.
		fields, err := c.tablesFrom(ctx, t, b, &DatabaseTable_Filter{Name: t.Table})
		if err != nil || len(b.im.Nodes) > 0 {
			return fields, err
		}
	}
	return c.tablesFrom(ctx, t, b, nil)
}

func (c *Client) tablesFrom(ctx context.Context, t Target, b *impactBuilder, filter *DatabaseTable_Filter) ([]string, error) {
	p := NewPager(func(ctx context.Context, first int, after string) (Page[TablesPageDatabaseTablesConnectionNodesDatabaseTable], error) {
		r, err := TablesPage(ctx, c, first, after, filter)
		if r == nil {
			return Page[TablesPageDatabaseTablesConnectionNodesDatabaseTable]{}, err
		}
		tc := r.DatabaseTablesConnection
		return Page[TablesPageDatabaseTablesConnectionNodesDatabaseTable]{Nodes: tc.Nodes, TotalCount: tc.TotalCount,
			PageInfo: PageInfo{tc.PageInfo.HasNextPage, tc.PageInfo.EndCursor}}, err
	}, c.opts.PageSize)
	var fields []string
	for tb, err := range p.All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("metadata: impact of %s: %w", t, err)
		}
		dbName := ""
		dbID := ""
		if tb.Database != nil {
			dbName, dbID = tb.Database.GetName(), tb.Database.GetId()
		}
		if !eq(t.Database, dbName) || !eq(t.Schema, tb.Schema) || !eq(t.Table, tb.Name) {
			continue
		}
		var cols []TablesPageDatabaseTablesConnectionNodesDatabaseTableColumnsColumn
		for _, col := range tb.Columns {
			if eq(t.Column, col.Name) {
				cols = append(cols, col)
			}
		}
		if len(cols) == 0 {
			continue
		}
		tableName := tb.Name
		if tb.Schema != "" {
			tableName = tb.Schema + "." + tb.Name
		}
		if dbID != "" {
			b.node(Node{ID: dbID, Kind: KindDatabase, Name: dbName})
			if t.Table == "" {
				b.im.Start = appendNew(b.im.Start, dbID)
			}
		}
		b.node(Node{ID: tb.Id, Kind: KindTable, Name: tableName, Container: dbName})
		if dbID != "" {
			b.edge(dbID, tb.Id)
		}
		if t.Table != "" && t.Column == "" {
			b.im.Start = appendNew(b.im.Start, tb.Id)
		}
		for _, col := range cols {
			b.node(Node{ID: col.Id, Kind: KindColumn, Name: col.Name, Container: tableName})
			b.edge(tb.Id, col.Id)
			if t.Column != "" {
				b.im.Start = appendNew(b.im.Start, col.Id)
			}
			for _, f := range col.ReferencedByFields {
				b.edge(col.Id, f.GetId())
				fields = appendNew(fields, f.GetId())
			}
		}
	}
	return fields, nil
}

// startAtField finds the target field in its published datasource.
func (c *Client) startAtField(ctx context.Context, t Target, b *impactBuilder) ([]string, error) {
	filter := &PublishedDatasource_Filter{Name: t.Datasource}
	if isLUID(t.Datasource) {
		filter = &PublishedDatasource_Filter{Luid: t.Datasource}
	}
	fields, err := c.fieldsFrom(ctx, t, b, filter)
	if err != nil || len(fields) > 0 {
		return fields, err
	}
	return c.fieldsFrom(ctx, t, b, nil)
}

func (c *Client) fieldsFrom(ctx context.Context, t Target, b *impactBuilder, filter *PublishedDatasource_Filter) ([]string, error) {
	p := NewPager(func(ctx context.Context, first int, after string) (Page[DatasourceFieldsPagePublishedDatasourcesConnectionNodesPublishedDatasource], error) {
		r, err := DatasourceFieldsPage(ctx, c, first, after, filter)
		if r == nil {
			return Page[DatasourceFieldsPagePublishedDatasourcesConnectionNodesPublishedDatasource]{}, err
		}
		pc := r.PublishedDatasourcesConnection
		return Page[DatasourceFieldsPagePublishedDatasourcesConnectionNodesPublishedDatasource]{Nodes: pc.Nodes, TotalCount: pc.TotalCount,
			PageInfo: PageInfo{pc.PageInfo.HasNextPage, pc.PageInfo.EndCursor}}, err
	}, c.opts.PageSize)
	var fields []string
	for ds, err := range p.All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("metadata: impact of %s: %w", t, err)
		}
		if !strings.EqualFold(ds.Name, t.Datasource) && ds.Luid != t.Datasource {
			continue
		}
		for _, f := range ds.Fields {
			if strings.EqualFold(f.GetName(), t.Field) {
				b.im.Start = appendNew(b.im.Start, f.GetId())
				fields = appendNew(fields, f.GetId())
			}
		}
	}
	return fields, nil
}

// addField adds a field with its datasource, sheets and dashboards, and
// returns the ids of the fields that use it.
func (b *impactBuilder) addField(f FieldsPageFieldsConnectionNodesField) []string {
	n := Node{ID: f.GetId(), Kind: KindField, Name: f.GetName()}
	if cf, ok := f.(*FieldsPageFieldsConnectionNodesCalculatedField); ok {
		n.Kind, n.Formula = KindCalculatedField, cf.Formula
	}
	var wbID string
	switch ds := f.GetDatasource().(type) {
	case *FieldsPageFieldsConnectionNodesFieldDatasourcePublishedDatasource:
		n.Container, n.Project, n.Owner = ds.Name, ds.ProjectName, ds.Owner.Username
		b.node(n)
		if slices.Contains(b.im.Start, n.ID) {
			break // a start field's own datasource does not depend on it
		}
		b.node(Node{ID: ds.Id, Kind: KindPublishedDatasource, Name: ds.Name, LUID: ds.Luid, Project: ds.ProjectName, Owner: ds.Owner.Username})
		b.edge(n.ID, ds.Id)
	case *FieldsPageFieldsConnectionNodesFieldDatasourceEmbeddedDatasource:
		n.Container = ds.Workbook.Name + " / " + ds.Name
		n.Project, n.Owner = ds.Workbook.ProjectName, ds.Workbook.Owner.Username
		b.node(n)
		b.workbook(ds.Workbook.WorkbookRef)
		wbID = ds.Workbook.Id
	default:
		b.node(n)
	}
	for _, sh := range f.GetSheets() {
		b.node(Node{ID: sh.Id, Kind: KindSheet, Name: sh.Name, LUID: sh.Luid, Container: sh.Workbook.Name,
			Project: sh.Workbook.ProjectName, Owner: sh.Workbook.Owner.Username})
		b.edge(n.ID, sh.Id)
		b.workbook(sh.Workbook.WorkbookRef)
		for _, d := range sh.ContainedInDashboards {
			b.node(Node{ID: d.Id, Kind: KindDashboard, Name: d.Name, LUID: d.Luid, Container: sh.Workbook.Name,
				Project: sh.Workbook.ProjectName, Owner: sh.Workbook.Owner.Username})
			b.edge(sh.Id, d.Id)
			b.edge(d.Id, sh.Workbook.Id)
		}
		if len(sh.ContainedInDashboards) == 0 {
			b.edge(sh.Id, sh.Workbook.Id)
		}
	}
	var next []string
	for _, r := range f.GetReferencedByFields() {
		b.edge(n.ID, r.GetId())
		next = append(next, r.GetId())
	}
	for _, r := range f.GetReferencedByRemoteFields() {
		b.edge(n.ID, r.GetId())
		next = append(next, r.GetId())
	}
	if wbID != "" && len(f.GetSheets()) == 0 && len(next) == 0 {
		b.edge(n.ID, wbID)
	}
	return next
}

func (b *impactBuilder) workbook(w WorkbookRef) {
	b.node(Node{ID: w.Id, Kind: KindWorkbook, Name: w.Name, LUID: w.Luid, Project: w.ProjectName, Owner: w.Owner.Username})
}

// paths sets each node's path: the names on a shortest way from a start
// node (breadth first over the edges).
func (b *impactBuilder) paths() {
	out := map[string][]string{}
	for _, e := range b.im.Edges {
		out[e.From] = append(out[e.From], e.To)
	}
	name := func(id string) string { return b.im.Nodes[b.index[id]].Name }
	path := map[string][]string{}
	var queue []string
	// The start's containers (database, table) lead to it.
	for _, n := range b.im.Nodes {
		if n.Kind == KindDatabase || (n.Kind == KindTable && !slices.Contains(b.im.Start, n.ID) && b.isRoot(n.ID)) {
			if _, ok := path[n.ID]; !ok && b.isRoot(n.ID) {
				path[n.ID] = []string{n.Name}
				queue = append(queue, n.ID)
			}
		}
	}
	for _, id := range b.im.Start {
		if _, ok := path[id]; !ok {
			n := b.im.Nodes[b.index[id]]
			label := n.Name
			if (n.Kind == KindColumn || n.Kind == KindTable) && n.Container != "" {
				label = n.Container + "." + n.Name
			}
			path[id] = []string{label}
			queue = append(queue, id)
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, to := range out[id] {
			if _, ok := path[to]; ok {
				continue
			}
			path[to] = append(slices.Clip(path[id]), name(to))
			queue = append(queue, to)
		}
	}
	for i := range b.im.Nodes {
		b.im.Nodes[i].Path = path[b.im.Nodes[i].ID]
		if b.im.Nodes[i].Path == nil {
			b.im.Nodes[i].Path = []string{b.im.Nodes[i].Name}
		}
	}
}

// isRoot reports whether no edge leads to id.
func (b *impactBuilder) isRoot(id string) bool {
	for _, e := range b.im.Edges {
		if e.To == id {
			return false
		}
	}
	return true
}

func eq(want, got string) bool { return want == "" || strings.EqualFold(want, got) }

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// isLUID reports whether s looks like a REST API id (a UUID).
func isLUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if r != '-' {
				return false
			}
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F'):
		default:
			return false
		}
	}
	return true
}
