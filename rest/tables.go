package rest

import (
	"context"
	"encoding/xml"
	"fmt"

	"github.com/tableau-go/sdk/tableau"
)

// Table is a database table known to Tableau Catalog.
type Table struct {
	ID                string `xml:"id,attr"`
	Name              string `xml:"name,attr"`
	Schema            string `xml:"schema,attr"`
	Description       string `xml:"description,attr"`
	IsCertified       bool   `xml:"isCertified,attr"`
	CertificationNote string `xml:"certificationNote,attr"`
	IsEmbedded        bool   `xml:"isEmbedded,attr"`
	Contact           Owner  `xml:"contact"`
	Tags              []Tag  `xml:"tags>tag"`
}

// Column is a column of a Catalog table.
type Column struct {
	ID          string `xml:"id,attr"`
	Name        string `xml:"name,attr"`
	Description string `xml:"description,attr"`
	RemoteType  string `xml:"remoteType,attr"`
}

// TablesService reads and annotates Catalog tables and columns. c.Tables.
type TablesService struct{ service }

type tableList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Tables     []Table            `xml:"tables>table"`
}

// List returns a pager over the site's tables.
func (sv *TablesService) List(opts *tableau.ListOptions) *tableau.Pager[Table] {
	path, err := sv.sitePath("Tables.List", "tables")
	if err != nil {
		return tableau.ErrorPager[Table](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *tableList) ([]Table, tableau.Pagination) {
		return r.Tables, r.Pagination
	})
}

// Get returns the table with id.
func (sv *TablesService) Get(ctx context.Context, id string) (*Table, error) {
	return assetSend[Table](ctx, sv.service, "Tables.Get", "GET", "table", id, nil)
}

// Update changes the table's description, certification or contact.
func (sv *TablesService) Update(ctx context.Context, id string, in AssetUpdate) (*Table, error) {
	return assetSend[Table](ctx, sv.service, "Tables.Update", "PUT", "table", id, in.request("table"))
}

// Delete removes the table from the Catalog.
func (sv *TablesService) Delete(ctx context.Context, id string) error {
	return assetDelete(ctx, sv.service, "Tables.Delete", "tables", id)
}

// Columns returns a pager over the table's columns.
func (sv *TablesService) Columns(id string, opts *tableau.ListOptions) *tableau.Pager[Column] {
	const m = "Tables.Columns"
	if err := need(m, "id", id); err != nil {
		return tableau.ErrorPager[Column](err)
	}
	path, err := sv.sitePath(m, "tables", id, "columns")
	if err != nil {
		return tableau.ErrorPager[Column](err)
	}
	type list struct {
		Pagination tableau.Pagination `xml:"pagination"`
		Columns    []Column           `xml:"columns>column"`
	}
	return tableau.PagedList(sv.s, path, opts, func(r *list) ([]Column, tableau.Pagination) {
		return r.Columns, r.Pagination
	})
}

// UpdateColumn sets a column's description.
func (sv *TablesService) UpdateColumn(ctx context.Context, id, columnID, description string) (*Column, error) {
	const m = "Tables.UpdateColumn"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := need(m, "columnID", columnID); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "tables", id, "columns", columnID)
	if err != nil {
		return nil, err
	}
	req := struct {
		XMLName xml.Name `xml:"tsRequest"`
		Column  struct {
			Description string `xml:"description,attr"`
		} `xml:"column"`
	}{}
	req.Column.Description = description
	var r struct {
		Column *Column `xml:"column"`
	}
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Column == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <column>", m)
	}
	return r.Column, nil
}

// DeleteColumn removes a column from the Catalog.
func (sv *TablesService) DeleteColumn(ctx context.Context, id, columnID string) error {
	if err := need("Tables.DeleteColumn", "id", id); err != nil {
		return err
	}
	return assetDelete(ctx, sv.service, "Tables.DeleteColumn", "tables", id, "columns", columnID)
}
