package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/url"
	"strconv"

	"github.com/tableau-go/sdk/tableau"
)

// This file holds the extract methods: creating and deleting the extracts
// of workbooks and datasources, and encrypting a site's extracts.

// ExtractOptions configure creating or deleting extracts.
type ExtractOptions struct {
	// Encrypt encrypts the new extracts (CreateExtract only; the site must
	// allow extract encryption). Default: false.
	Encrypt bool
	// DatasourceIDs limits a workbook's extract methods to these embedded
	// datasources (the ids of [Connection].Datasource from
	// [WorkbooksService.Connections]); not for datasources. Default: every
	// datasource of the workbook.
	DatasourceIDs []string
}

// extractDatasources is <datasources includeAll="true"/> or the list.
type extractDatasources struct {
	XMLName     xml.Name `xml:"tsRequest"`
	Datasources struct {
		IncludeAll  string   `xml:"includeAll,attr,omitempty"`
		Datasources []idElem `xml:"datasource"`
	} `xml:"datasources"`
}

func (o *ExtractOptions) datasources(m string) (*extractDatasources, error) {
	req := &extractDatasources{}
	if o == nil || len(o.DatasourceIDs) == 0 {
		req.Datasources.IncludeAll = "true"
		return req, nil
	}
	for _, id := range o.DatasourceIDs {
		if id == "" {
			return nil, fmt.Errorf("rest.%s: %w: a datasource id is empty", m, tableau.ErrInvalidArgument)
		}
		req.Datasources.Datasources = append(req.Datasources.Datasources, idElem{ID: id})
	}
	return req, nil
}

// extractJob posts to an item's createExtract or deleteExtract and returns
// the job the server answers with.
func (sv service) extractJob(ctx context.Context, m, version, plural, id, seg string, q url.Values, in any) (*Job, error) {
	if err := sv.s.RequireVersion("rest."+m, version); err != nil {
		return nil, err
	}
	path, err := sv.itemPath(m, plural, id, seg)
	if err != nil {
		return nil, err
	}
	var resp jobResponse
	if err := sv.s.Post(ctx, path, q, in, &resp); err != nil {
		return nil, err
	}
	if resp.Job == nil {
		return nil, fmt.Errorf("rest.%s: the response has no job", m)
	}
	return resp.Job.job(), nil
}

// CreateExtract creates extracts of the workbook's datasources (all of
// them, or opts.DatasourceIDs), encrypted when opts.Encrypt, and returns
// the job that builds them (API 3.5). opts may be nil.
func (sv *WorkbooksService) CreateExtract(ctx context.Context, id string, opts *ExtractOptions) (*Job, error) {
	const m = "Workbooks.CreateExtract"
	req, err := opts.datasources(m)
	if err != nil {
		return nil, err
	}
	q := url.Values{"encrypt": {strconv.FormatBool(opts != nil && opts.Encrypt)}}
	return sv.extractJob(ctx, m, "3.5", workbooksPath, id, "createExtract", q, req)
}

// DeleteExtract deletes the extracts of the workbook's datasources (all of
// them, or opts.DatasourceIDs) and returns the job that removes them
// (API 3.3). opts may be nil; opts.Encrypt must be false.
func (sv *WorkbooksService) DeleteExtract(ctx context.Context, id string, opts *ExtractOptions) (*Job, error) {
	const m = "Workbooks.DeleteExtract"
	if opts != nil && opts.Encrypt {
		return nil, fmt.Errorf("rest.%s: %w: Encrypt is for CreateExtract", m, tableau.ErrInvalidArgument)
	}
	req, err := opts.datasources(m)
	if err != nil {
		return nil, err
	}
	return sv.extractJob(ctx, m, "3.3", workbooksPath, id, "deleteExtract", nil, req)
}

// CreateExtract creates an extract of the published datasource (used by
// every workbook connected to it), encrypted when opts.Encrypt, and
// returns the job that builds it (API 3.5). opts may be nil;
// opts.DatasourceIDs must be empty.
func (sv *DatasourcesService) CreateExtract(ctx context.Context, id string, opts *ExtractOptions) (*Job, error) {
	const m = "Datasources.CreateExtract"
	if opts != nil && len(opts.DatasourceIDs) > 0 {
		return nil, fmt.Errorf("rest.%s: %w: DatasourceIDs is for workbooks", m, tableau.ErrInvalidArgument)
	}
	q := url.Values{"encrypt": {strconv.FormatBool(opts != nil && opts.Encrypt)}}
	in := struct {
		XMLName xml.Name `xml:"tsRequest"`
	}{}
	return sv.extractJob(ctx, m, "3.5", datasourcesPath, id, "createExtract", q, &in)
}

// DeleteExtract deletes the extract of the published datasource; the
// datasource goes back to its live connection (API 3.5).
func (sv *DatasourcesService) DeleteExtract(ctx context.Context, id string) error {
	const m = "Datasources.DeleteExtract"
	if err := sv.s.RequireVersion("rest."+m, "3.5"); err != nil {
		return err
	}
	path, err := sv.itemPath(m, datasourcesPath, id, "deleteExtract")
	if err != nil {
		return err
	}
	in := struct {
		XMLName xml.Name `xml:"tsRequest"`
	}{}
	return sv.s.Post(ctx, path, nil, &in, nil)
}

// EncryptExtracts encrypts every extract on the site with id (API 3.5;
// site or server administrators, on a site whose extract encryption mode
// allows it).
func (sv *SitesService) EncryptExtracts(ctx context.Context, siteID string) error {
	return sv.extractEncryption(ctx, "Sites.EncryptExtracts", siteID, "encrypt-extracts")
}

// DecryptExtracts decrypts every extract on the site with id (API 3.5;
// site or server administrators).
func (sv *SitesService) DecryptExtracts(ctx context.Context, siteID string) error {
	return sv.extractEncryption(ctx, "Sites.DecryptExtracts", siteID, "decrypt-extracts")
}

// ReencryptExtracts encrypts every encrypted extract on the site with id
// again, with new keys (API 3.5; site or server administrators).
func (sv *SitesService) ReencryptExtracts(ctx context.Context, siteID string) error {
	return sv.extractEncryption(ctx, "Sites.ReencryptExtracts", siteID, "reencrypt-extracts")
}

func (sv *SitesService) extractEncryption(ctx context.Context, m, siteID, seg string) error {
	if err := need(m, "siteID", siteID); err != nil {
		return err
	}
	if err := sv.s.RequireVersion("rest."+m, "3.5"); err != nil {
		return err
	}
	in := struct {
		XMLName xml.Name `xml:"tsRequest"`
	}{}
	return sv.s.Post(ctx, tableau.JoinPath("sites", siteID, seg), nil, &in, nil)
}
