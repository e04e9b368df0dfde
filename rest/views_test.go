package rest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"net/url"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func TestViewsListGetAndExports(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 3, ViewsPerWorkbook: 2, ViewCount: 7})
	if err != nil {
		t.Fatal(err)
	}
	views, err := c.Views.List(&rest.ViewListOptions{Usage: true, ListOptions: tableau.ListOptions{PageSize: 4}}).Collect(ctx)
	if err != nil || len(views) != 6 || views[0].TotalViews() != 7 {
		t.Fatalf("views = %d, %v", len(views), err)
	}
	noUsage, err := c.Views.List(nil).Collect(ctx)
	if err != nil || noUsage[0].TotalViews() != -1 {
		t.Fatalf("without usage: %+v, %v", noUsage[0].Usage, err)
	}
	filtered, err := c.Views.List(&rest.ViewListOptions{ListOptions: tableau.ListOptions{Filters: []tableau.Filter{tableau.Eq("name", "Sheet 2")}}}).Collect(ctx)
	if err != nil || len(filtered) != 3 {
		t.Fatalf("filtered = %d, %v", len(filtered), err)
	}
	id := seed.ViewIDs[0]
	v, err := c.Views.Get(ctx, id, true)
	if err != nil || v.Name != "Sheet 1" || v.Workbook.ID != seed.WorkbookIDs[0] || v.TotalViews() != 7 {
		t.Fatalf("get = %+v, %v", v, err)
	}
	ofWB, err := c.Views.ForWorkbook(ctx, seed.WorkbookIDs[1], false)
	if err != nil || len(ofWB) != 2 {
		t.Fatalf("for workbook = %d, %v", len(ofWB), err)
	}

	var img bytes.Buffer
	if err := c.Views.Image(ctx, id, &img, &rest.ImageOptions{HighResolution: true, ExportOptions: rest.ExportOptions{MaxAge: 5, Filters: rest.ViewFilters{"Region": "West"}}}); err != nil {
		t.Fatal(err)
	}
	pic, err := png.Decode(&img)
	if err != nil || pic.Bounds().Dx() != 1600 {
		t.Fatalf("png: %v, %v", err, pic)
	}
	var all, west bytes.Buffer
	if err := c.Views.CSV(ctx, id, &all, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Views.CSV(ctx, id, &west, &rest.ExportOptions{Filters: rest.ViewFilters{"Region": "West,East"}}); err != nil {
		t.Fatal(err)
	}
	rowsAll, err := csv.NewReader(&all).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rowsWest, err := csv.NewReader(&west).ReadAll()
	if err != nil || len(rowsWest) >= len(rowsAll) || len(rowsWest) != 7 {
		t.Fatalf("filtered csv has %d rows, all %d: %v", len(rowsWest), len(rowsAll), err)
	}
	var pdf bytes.Buffer
	if err := c.Views.PDF(ctx, id, &pdf, &rest.PDFOptions{PageType: "Letter", Orientation: "Landscape"}); err != nil || !bytes.Contains(pdf.Bytes(), []byte("/MediaBox [0 0 792 612]")) {
		t.Fatalf("pdf: %v", err)
	}
	var xlsx bytes.Buffer
	if err := c.Views.Excel(ctx, id, &xlsx, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != len(rowsAll) || rows[0][0] != "Region" {
		t.Fatalf("xlsx rows = %v, %v", rows, err)
	}
	// Bad input is refused before any request.
	if err := c.Views.PDF(ctx, id, &pdf, &rest.PDFOptions{PageType: "A0"}); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("bad page type: %v", err)
	}
	if err := c.Views.Image(ctx, "", &img, nil); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("empty id: %v", err)
	}
	if err := c.Views.Image(ctx, "no-such-view", &img, nil); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("missing view: %v", err)
	}
	// Exports count as views.
	after, err := c.Views.Get(ctx, id, true)
	if err != nil || after.TotalViews() <= 7 {
		t.Fatalf("usage after exports = %d, %v", after.TotalViews(), err)
	}
}

// TestViewPreviewImage reads a view's thumbnail through its workbook.
func TestViewPreviewImage(t *testing.T) {
	c, srv := newClient(t, nil, nil)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 2, ViewsPerWorkbook: 2})
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Views.Get(ctx, seed.ViewIDs[1], false)
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := c.Views.PreviewImage(ctx, v.Workbook.ID, v.ID, &img); err != nil {
		t.Fatal(err)
	}
	if pic, err := png.Decode(&img); err != nil || pic.Bounds().Dx() == 0 {
		t.Fatalf("preview: %v", err)
	}
	// A view of another workbook, an unknown workbook, missing ids.
	if err := c.Views.PreviewImage(ctx, seed.WorkbookIDs[1], v.ID, io.Discard); !errors.Is(err, tableau.ErrNotFound) {
		t.Errorf("view of another workbook: %v", err)
	}
	if err := c.Views.PreviewImage(ctx, "no-such-workbook", v.ID, io.Discard); !errors.Is(err, tableau.ErrNotFound) {
		t.Errorf("unknown workbook: %v", err)
	}
	if err := c.Views.PreviewImage(ctx, v.Workbook.ID, "", io.Discard); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Errorf("no view id: %v", err)
	}
}

// TestViewImageSVGAndPDFSize: an SVG image (API 3.29) and PDF exports at a
// viz size; bad values are refused before a request.
func TestViewImageSVGAndPDFSize(t *testing.T) {
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.29"}, nil)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := seed.ViewIDs[0]
	var svg bytes.Buffer
	if err := c.Views.Image(ctx, id, &svg, &rest.ImageOptions{Format: rest.ImageSVG, Width: 640, Height: 480}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		Width   int      `xml:"width,attr"`
		Rects   []struct {
			Title string `xml:"title"`
		} `xml:"rect"`
	}
	if err := xml.Unmarshal(svg.Bytes(), &doc); err != nil || doc.Width != 640 || len(doc.Rects) < 2 {
		t.Fatalf("svg: %v %+v\n%.300s", err, doc, svg.String())
	}
	var png bytes.Buffer
	if err := c.Views.Image(ctx, id, &png, &rest.ImageOptions{Format: "png"}); err != nil || !bytes.HasPrefix(png.Bytes(), []byte("\x89PNG")) {
		t.Fatalf("png format: %v", err)
	}
	var pdf bytes.Buffer
	if err := c.Views.PDF(ctx, id, &pdf, &rest.PDFOptions{Width: 1200, Height: 800}); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf at a size: %v", err)
	}
	if err := c.Workbooks.PDF(ctx, seed.WorkbookIDs[0], io.Discard, &rest.PDFOptions{Width: 1200, Height: 800}); err != nil {
		t.Fatalf("workbook pdf at a size: %v", err)
	}
	for _, bad := range []error{
		c.Views.Image(ctx, id, io.Discard, &rest.ImageOptions{Format: "gif"}),
		c.Views.PDF(ctx, id, io.Discard, &rest.PDFOptions{Width: 1200}),
		c.Views.PDF(ctx, id, io.Discard, &rest.PDFOptions{Width: -1, Height: 5}),
	} {
		if !errors.Is(bad, tableau.ErrInvalidArgument) {
			t.Errorf("bad options: %v", bad)
		}
	}
	// The server checks too (a client that sends one size only, or bad ones).
	for _, q := range []string{"vizWidth=1200", "vizWidth=0&vizHeight=10", "vizWidth=5000&vizHeight=10"} {
		query, _ := url.ParseQuery(q)
		path, err := c.Session.SitePath("views", id, "pdf")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Session.Send(ctx, &tableau.Request{Path: path, Query: query})
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, tableau.ErrBadRequest) {
			t.Errorf("pdf?%s: %v", q, err)
		}
	}
	// SVG needs REST API 3.29: refused before the request on an older server.
	old, oldSrv := newClient(t, nil, nil)
	oldSeed, _ := oldSrv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err := old.Views.Image(ctx, oldSeed.ViewIDs[0], io.Discard, &rest.ImageOptions{Format: rest.ImageSVG}); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Errorf("SVG on API 3.24: %v", err)
	}
}
