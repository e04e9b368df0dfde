package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestWorkbookExtractsCreateAndDelete: a live workbook cannot be refreshed;
// after CreateExtract's job it can and reports its encryption; after
// DeleteExtract's job it is live again. Unknown datasources, a second
// delete and invalid options fail.
func TestWorkbookExtractsCreateAndDelete(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(0)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	wb := seed.WorkbookIDs[0]
	if _, err := c.Workbooks.Refresh(ctx, wb, nil); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("refresh of a live workbook: %v, want ErrBadRequest", err)
	}
	conns, err := c.Workbooks.Connections(ctx, wb)
	if err != nil || len(conns) == 0 {
		t.Fatalf("connections %+v %v", conns, err)
	}
	if _, err := c.Workbooks.CreateExtract(ctx, wb, &rest.ExtractOptions{DatasourceIDs: []string{"no-such-datasource"}}); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("unknown embedded datasource: %v, want ErrNotFound", err)
	}
	job, err := c.Workbooks.CreateExtract(ctx, wb, &rest.ExtractOptions{Encrypt: true, DatasourceIDs: []string{conns[0].Datasource.ID}})
	if err != nil || job.Type != "CreateExtract" || job.WorkbookID != wb {
		t.Fatalf("create extract %+v %v", job, err)
	}
	if _, err := c.Jobs.Wait(ctx, job.ID, nil); err != nil {
		t.Fatal(err)
	}
	got, err := c.Workbooks.Get(ctx, wb)
	if err != nil || got.EncryptExtracts != "true" {
		t.Fatalf("after create extract: %+v %v", got, err)
	}
	if _, err := c.Workbooks.Refresh(ctx, wb, nil); err != nil {
		t.Fatalf("refresh after create extract: %v", err)
	}
	job, err = c.Workbooks.DeleteExtract(ctx, wb, nil)
	if err != nil || job.Type != "DeleteExtract" {
		t.Fatalf("delete extract %+v %v", job, err)
	}
	if _, err := c.Jobs.Wait(ctx, job.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Workbooks.Get(ctx, wb); err != nil || got.EncryptExtracts != "false" {
		t.Fatalf("after delete extract: %+v %v", got, err)
	}
	if _, err := c.Workbooks.Refresh(ctx, wb, nil); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("refresh after delete extract: %v, want ErrBadRequest", err)
	}
	if _, err := c.Workbooks.DeleteExtract(ctx, wb, nil); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("second delete: %v, want ErrBadRequest", err)
	}

	before := srv.Stats().Requests
	for i, err := range []error{
		func() error {
			_, err := c.Workbooks.DeleteExtract(ctx, wb, &rest.ExtractOptions{Encrypt: true})
			return err
		}(),
		func() error {
			_, err := c.Workbooks.CreateExtract(ctx, wb, &rest.ExtractOptions{DatasourceIDs: []string{""}})
			return err
		}(),
		func() error { _, err := c.Workbooks.CreateExtract(ctx, "", nil); return err }(),
		func() error {
			_, err := c.Datasources.CreateExtract(ctx, "d", &rest.ExtractOptions{DatasourceIDs: []string{"x"}})
			return err
		}(),
		c.Datasources.DeleteExtract(ctx, ""),
		c.Sites.EncryptExtracts(ctx, ""),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("check %d: %v, want ErrInvalidArgument", i, err)
		}
	}
	if n := srv.Stats().Requests - before; n != 0 {
		t.Errorf("%d requests for invalid input", n)
	}
}

// TestDatasourceExtractsAndSiteEncryption: deleting a datasource's extract
// takes effect at once, creating one goes through a job; the site's
// extracts are encrypted and decrypted; a viewer may do neither.
func TestDatasourceExtractsAndSiteEncryption(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	srv.SetJobDuration(0)
	seed, err := srv.Seed(tableautest.SeedOptions{Datasources: 2})
	if err != nil {
		t.Fatal(err)
	}
	ds, other := seed.DatasourceIDs[0], seed.DatasourceIDs[1]
	if err := c.Datasources.DeleteExtract(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Datasources.Get(ctx, ds); err != nil || got.HasExtracts {
		t.Fatalf("after delete extract: %+v %v", got, err)
	}
	if err := c.Datasources.DeleteExtract(ctx, ds); !errors.Is(err, tableau.ErrBadRequest) {
		t.Fatalf("second delete: %v, want ErrBadRequest", err)
	}
	job, err := c.Datasources.CreateExtract(ctx, ds, &rest.ExtractOptions{Encrypt: true})
	if err != nil || job.DatasourceID != ds {
		t.Fatalf("create extract %+v %v", job, err)
	}
	if _, err := c.Jobs.Wait(ctx, job.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Datasources.Get(ctx, ds); err != nil || !got.HasExtracts || got.EncryptExtracts != "true" {
		t.Fatalf("after create extract: %+v %v", got, err)
	}
	if _, err := c.Datasources.CreateExtract(ctx, "no-such-datasource", nil); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("unknown datasource: %v, want ErrNotFound", err)
	}

	site := c.Session.SiteID()
	if err := c.Sites.EncryptExtracts(ctx, site); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{ds, other} {
		if got, err := c.Datasources.Get(ctx, id); err != nil || got.EncryptExtracts != "true" {
			t.Fatalf("after encrypt: %+v %v", got, err)
		}
	}
	if err := c.Sites.ReencryptExtracts(ctx, site); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Datasources.Get(ctx, other); err != nil || got.EncryptExtracts != "true" {
		t.Fatalf("after reencrypt: %+v %v", got, err)
	}
	if err := c.Sites.DecryptExtracts(ctx, site); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{ds, other} {
		if got, err := c.Datasources.Get(ctx, id); err != nil || got.EncryptExtracts != "false" {
			t.Fatalf("after decrypt: %+v %v", got, err)
		}
	}

	v := signInViewer(t, srv, "viewer1", "tableau:content:read", "tableau:datasources:update")
	if err := v.Sites.EncryptExtracts(ctx, site); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer encrypted the site's extracts: %v, want ErrForbidden", err)
	}
	if _, err := v.Datasources.CreateExtract(ctx, other, nil); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer created an extract: %v, want ErrForbidden", err)
	}
	if err := v.Datasources.DeleteExtract(ctx, other); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer deleted an extract: %v, want ErrForbidden", err)
	}
	if got, err := c.Datasources.Get(ctx, other); err != nil || !got.HasExtracts {
		t.Fatalf("the refused delete changed the datasource: %+v %v", got, err)
	}
}
