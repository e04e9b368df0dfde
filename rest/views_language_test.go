package rest_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestExportLanguage renders exports in a language (TSC's language
// option): the emulator labels each document with it, refuses a language
// Tableau is not localized in, and the client refuses what is not a
// language tag before any request.
func TestExportLanguage(t *testing.T) {
	c, srv := newClient(t, &tableautest.Options{APIVersion: "3.29"}, nil)
	ctx := context.Background()
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := seed.ViewIDs[0]

	var svg bytes.Buffer
	if err := c.Views.Image(ctx, id, &svg, &rest.ImageOptions{Format: rest.ImageSVG, ExportOptions: rest.ExportOptions{Language: "fr-CA"}}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	}
	if err := xml.Unmarshal(svg.Bytes(), &doc); err != nil || doc.Lang != "fr-CA" {
		t.Fatalf("svg language %q, %v", doc.Lang, err)
	}

	var pdf bytes.Buffer
	if err := c.Views.PDF(ctx, id, &pdf, &rest.PDFOptions{ExportOptions: rest.ExportOptions{Language: "ja"}}); err != nil || !bytes.Contains(pdf.Bytes(), []byte("/Lang (ja)")) {
		t.Fatalf("view pdf in Japanese: %v", err)
	}
	pdf.Reset()
	if err := c.Workbooks.PDF(ctx, seed.WorkbookIDs[0], &pdf, &rest.PDFOptions{ExportOptions: rest.ExportOptions{Language: "de_DE"}}); err != nil || !bytes.Contains(pdf.Bytes(), []byte("/Lang (de-DE)")) {
		t.Fatalf("workbook pdf in German: %v", err)
	}

	var xlsx bytes.Buffer
	if err := c.Views.Excel(ctx, id, &xlsx, &rest.ExportOptions{Language: "es"}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if props, err := f.GetDocProps(); err != nil || props.Language != "es" {
		t.Fatalf("xlsx language %+v, %v", props, err)
	}

	var csvOut bytes.Buffer
	if err := c.Views.CSV(ctx, id, &csvOut, &rest.ExportOptions{Language: "zh-TW", Filters: rest.ViewFilters{"Region": "West"}}); err != nil || !strings.HasPrefix(csvOut.String(), "Region,") {
		t.Fatalf("csv in Chinese: %v\n%.100s", err, csvOut.String())
	}

	// A well-formed tag of a language Tableau is not localized in: the
	// server refuses it (so the parameter was sent).
	if err := c.Views.CSV(ctx, id, io.Discard, &rest.ExportOptions{Language: "tlh"}); !errors.Is(err, tableau.ErrBadRequest) || !strings.Contains(err.Error(), "tlh") {
		t.Fatalf("Klingon: %v", err)
	}
	// Not a language tag: refused before any request.
	for _, bad := range []string{"not a tag", "e", "en--US"} {
		err := c.Views.PDF(ctx, id, io.Discard, &rest.PDFOptions{ExportOptions: rest.ExportOptions{Language: bad}})
		if !errors.Is(err, tableau.ErrInvalidArgument) || !strings.Contains(err.Error(), "Language") {
			t.Errorf("Language %q: %v", bad, err)
		}
	}
}
