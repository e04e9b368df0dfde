package metadata

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// DictionaryOptions says what [Client.Dictionary] covers. A nil
// *DictionaryOptions uses every default.
type DictionaryOptions struct {
	// Embedded adds the datasources embedded in workbooks. Default: false
	// (published datasources only).
	Embedded bool
	// Projects keeps only datasources (or workbooks, for embedded ones) in
	// these projects. Default: all projects.
	Projects []string
	// Datasources keeps only published datasources with these names.
	// Default: all.
	Datasources []string
	// IncludeHidden keeps hidden fields. Default: false.
	IncludeHidden bool
}

// Dictionary is a site's data dictionary.
type Dictionary struct {
	Datasources []DictionaryDatasource `json:"datasources"`
	// Requests is how many Metadata API requests building it took.
	Requests int `json:"-"`
}

// DictionaryDatasource is one datasource of a [Dictionary].
type DictionaryDatasource struct {
	ID                string            `json:"id"`
	LUID              string            `json:"luid,omitempty"`
	Name              string            `json:"name"`
	Embedded          bool              `json:"embedded"`
	Workbook          string            `json:"workbook,omitempty"` // for embedded datasources
	Description       string            `json:"description,omitempty"`
	Project           string            `json:"project"`
	Owner             string            `json:"owner"`
	Certified         bool              `json:"certified"`
	CertificationNote string            `json:"certificationNote,omitempty"`
	HasExtracts       bool              `json:"hasExtracts"`
	UpstreamTables    []string          `json:"upstreamTables"`
	Fields            []DictionaryField `json:"fields"`
}

// DictionaryField is one field of a [DictionaryDatasource].
type DictionaryField struct {
	Name string `json:"name"`
	// Kind is the field's GraphQL type: ColumnField, CalculatedField,
	// DatasourceField, ...
	Kind     string `json:"kind"`
	DataType string `json:"dataType,omitempty"`
	Role     string `json:"role,omitempty"`
	Formula  string `json:"formula,omitempty"`
	// Description is the field's own description, or else the one it
	// inherits (see DescriptionFrom).
	Description string `json:"description,omitempty"`
	// DescriptionFrom says where an inherited description comes from, for
	// example "published datasource field Orders.Amount" or "column
	// amount"; "" when the field has its own (or none).
	DescriptionFrom string   `json:"descriptionFrom,omitempty"`
	Hidden          bool     `json:"hidden"`
	UpstreamTables  []string `json:"upstreamTables"`
}

// Dictionary builds the data dictionary of the signed-in site: every
// published datasource (and embedded ones on request) with its fields'
// types, roles, formulas and descriptions (inherited from the published
// datasource or column when a field has none), certification, owner,
// project and upstream tables. It pages through the Metadata API.
func (c *Client) Dictionary(ctx context.Context, opts *DictionaryOptions) (*Dictionary, error) {
	o := DictionaryOptions{}
	if opts != nil {
		o = *opts
	}
	d := &Dictionary{}
	var filter *PublishedDatasource_Filter
	if len(o.Projects) > 0 || len(o.Datasources) > 0 {
		filter = &PublishedDatasource_Filter{ProjectNameWithin: o.Projects, NameWithin: o.Datasources}
	}
	pub := NewPager(func(ctx context.Context, first int, after string) (Page[PublishedDatasourcesPagePublishedDatasourcesConnectionNodesPublishedDatasource], error) {
		r, err := PublishedDatasourcesPage(ctx, c, first, after, filter)
		if r == nil {
			return Page[PublishedDatasourcesPagePublishedDatasourcesConnectionNodesPublishedDatasource]{}, err
		}
		pc := r.PublishedDatasourcesConnection
		return Page[PublishedDatasourcesPagePublishedDatasourcesConnectionNodesPublishedDatasource]{Nodes: pc.Nodes,
			TotalCount: pc.TotalCount, PageInfo: PageInfo{pc.PageInfo.HasNextPage, pc.PageInfo.EndCursor}}, err
	}, c.opts.PageSize)
	for ds, err := range pub.All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("metadata: dictionary: %w", err)
		}
		dd := DictionaryDatasource{ID: ds.Id, LUID: ds.Luid, Name: ds.Name, Description: ds.Description, Project: ds.ProjectName,
			Owner: userName(ds.Owner.Username, ds.Owner.Name), Certified: ds.IsCertified, CertificationNote: ds.CertificationNote,
			HasExtracts: ds.HasExtracts}
		for _, t := range ds.UpstreamTables {
			dd.UpstreamTables = append(dd.UpstreamTables, tableName(t))
		}
		for _, f := range ds.Fields {
			if df, ok := dictField(f, o.IncludeHidden); ok {
				dd.Fields = append(dd.Fields, df)
			}
		}
		d.Datasources = append(d.Datasources, dd)
	}
	d.Requests += pub.Requests()
	if o.Embedded {
		emb := NewPager(func(ctx context.Context, first int, after string) (Page[EmbeddedDatasourcesPageEmbeddedDatasourcesConnectionNodesEmbeddedDatasource], error) {
			r, err := EmbeddedDatasourcesPage(ctx, c, first, after, nil)
			if r == nil {
				return Page[EmbeddedDatasourcesPageEmbeddedDatasourcesConnectionNodesEmbeddedDatasource]{}, err
			}
			ec := r.EmbeddedDatasourcesConnection
			return Page[EmbeddedDatasourcesPageEmbeddedDatasourcesConnectionNodesEmbeddedDatasource]{Nodes: ec.Nodes,
				TotalCount: ec.TotalCount, PageInfo: PageInfo{ec.PageInfo.HasNextPage, ec.PageInfo.EndCursor}}, err
		}, c.opts.PageSize)
		for ds, err := range emb.All(ctx) {
			if err != nil {
				return nil, fmt.Errorf("metadata: dictionary: %w", err)
			}
			if len(o.Projects) > 0 && !slices.Contains(o.Projects, ds.Workbook.ProjectName) {
				continue
			}
			dd := DictionaryDatasource{ID: ds.Id, Name: ds.Name, Embedded: true, Workbook: ds.Workbook.Name, Project: ds.Workbook.ProjectName,
				Owner: userName(ds.Workbook.Owner.Username, ds.Workbook.Owner.Name), HasExtracts: ds.HasExtracts}
			for _, t := range ds.UpstreamTables {
				dd.UpstreamTables = append(dd.UpstreamTables, tableName(t))
			}
			for _, f := range ds.Fields {
				if df, ok := dictField(f, o.IncludeHidden); ok {
					dd.Fields = append(dd.Fields, df)
				}
			}
			d.Datasources = append(d.Datasources, dd)
		}
		d.Requests += emb.Requests()
	}
	return d, nil
}

func userName(username, name string) string {
	if username == "" {
		return name
	}
	return username
}

// tableName names a table: "db.[schema].[table]", or "db: custom SQL NAME".
func tableName(t any) string {
	type dbOf interface{ GetDatabase() TableRefDatabase }
	db := ""
	if x, ok := t.(dbOf); ok && x.GetDatabase() != nil {
		db = x.GetDatabase().GetName()
	}
	switch x := t.(type) {
	case interface{ GetFullName() string }:
		if db != "" {
			return db + "." + x.GetFullName()
		}
		return x.GetFullName()
	case interface{ GetQuery() string }:
		n := t.(interface{ GetName() string }).GetName()
		if db != "" {
			return db + ": custom SQL " + n
		}
		return "custom SQL " + n
	case interface{ GetName() string }:
		return x.GetName()
	}
	return ""
}

// dictField converts a generated field of the DictionaryField fragment.
func dictField(f any, hidden bool) (DictionaryField, bool) {
	type common interface {
		GetTypename() string
		GetName() string
		GetDescription() string
		GetIsHidden() bool
		GetUpstreamTables() []FieldDetailsUpstreamTablesTable
	}
	cf, ok := f.(common)
	if !ok || (cf.GetIsHidden() && !hidden) {
		return DictionaryField{}, false
	}
	df := DictionaryField{Name: cf.GetName(), Kind: cf.GetTypename(), Description: cf.GetDescription(), Hidden: cf.GetIsHidden()}
	typed := func(x any) {
		if r, ok := x.(interface {
			GetRole() FieldRole
			GetDataType() FieldDataType
		}); ok {
			df.Role, df.DataType = string(r.GetRole()), string(r.GetDataType())
		}
		if r, ok := x.(interface{ GetFormula() string }); ok && df.Formula == "" {
			df.Formula = r.GetFormula()
		}
	}
	typed(f)
	if r, ok := f.(interface {
		GetRemoteField() FieldDetailsRemoteField
	}); ok && r.GetRemoteField() != nil {
		rf := r.GetRemoteField()
		typed(rf)
		if df.Description == "" && rf.GetDescription() != "" {
			df.Description, df.DescriptionFrom = rf.GetDescription(), "published datasource field "+rf.GetName()
		}
		if c, ok := rf.(interface {
			GetColumns() []FieldDetailsRemoteFieldColumnFieldColumnsColumn
		}); ok && df.Description == "" {
			for _, col := range c.GetColumns() {
				if col.Description != "" {
					df.Description, df.DescriptionFrom = col.Description, "column "+col.Name
					break
				}
			}
		}
	}
	if c, ok := f.(interface {
		GetColumns() []FieldDetailsColumnsColumn
	}); ok && df.Description == "" {
		for _, col := range c.GetColumns() {
			if col.Description != "" {
				df.Description, df.DescriptionFrom = col.Description, "column "+col.Name
				break
			}
		}
	}
	for _, t := range cf.GetUpstreamTables() {
		n := t.GetName()
		if x, ok := t.(interface{ GetFullName() string }); ok && x.GetFullName() != "" {
			n = x.GetFullName()
		}
		if !slices.Contains(df.UpstreamTables, n) {
			df.UpstreamTables = append(df.UpstreamTables, n)
		}
	}
	df.Formula = strings.TrimSpace(df.Formula)
	return df, true
}
