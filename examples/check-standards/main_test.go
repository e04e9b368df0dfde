package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/document"
)

func workbookCopy(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "document", "testdata", "superstore.twb"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "superstore.twb")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckReportsBreaches(t *testing.T) {
	p := workbookCopy(t)
	before, _ := os.ReadFile(p)
	var out bytes.Buffer
	err := run(context.Background(), []string{"-standards", "testdata/standards.json", p}, &out)
	if !errors.Is(err, errBreaches) {
		t.Fatalf("err %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		`superstore.twb:24: workbook > style > style-rule[element=worksheet] > format[font-family]: font "Comic Sans MS" is not approved`,
		`superstore.twb:152: worksheet "Sales by Region" > style > style-rule[element=cell] > format[font-family]: font "Papyrus" is not approved`,
		`worksheet "Sales by Region" > title > run[fontname]: font "Arial" is not approved`,
		`worksheet "Sales by Region" > title > run[fontcolor]: color #ff0000 is not in palette "Corporate"`,
		`color #abcdef is not in palette "Corporate"`,
		`color #4e79a7 is not in palette "Corporate"`,
		`palette "tableau-10" is not the approved palette "Corporate"`,
		`superstore.twb:13: preferences > color-palette "Corporate": custom palette uses colors outside the approved palette`,
		"8 breach(es)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
		t.Fatal("check without -fix changed the file")
	}
}

func TestFixRewrites(t *testing.T) {
	p := workbookCopy(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-standards", "testdata/standards.json", "-fix", p}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), `font "Papyrus" is not approved (fixed: Tableau Book)`) || !strings.Contains(out.String(), "8 breach(es) fixed") {
		t.Fatalf("fix report:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"-standards", "testdata/standards.json", p}, &out); err != nil {
		t.Fatalf("after -fix: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "superstore.twb: complies") {
		t.Fatalf("after -fix:\n%s", out.String())
	}
	w, err := document.OpenWorkbook(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Palette("Corporate"); err != nil {
		t.Fatal(err)
	}
	var cell string
	for _, c := range w.Colors() {
		if c.Element == "cell" {
			cell = c.Value
		}
	}
	if cell != "#ffffff" { // #abcdef is nearest to white among the approved colors
		t.Fatalf("cell color %s", cell)
	}
	for _, f := range w.Fonts() {
		if f.Value != "Tableau Book" && f.Value != "Tableau Semibold" {
			t.Fatalf("font %q left at %v", f.Value, f.Location)
		}
	}
}

func TestNearest(t *testing.T) {
	pal := []string{"#000000", "#ffffff", "#ff0000"}
	for in, want := range map[string]string{"#010101": "#000000", "#eeeeee": "#ffffff", "#dd1111": "#ff0000", "bad": "#000000"} {
		if got := nearest(in, pal); got != want {
			t.Errorf("nearest(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out); err == nil {
		t.Fatal("no arguments accepted")
	}
	bad := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(bad, []byte(`{"fonts": ["A"], "palette": {"name": "P", "colors": ["red"]}}`), 0o644)
	if err := run(context.Background(), []string{"-standards", bad, "x.twb"}, &out); err == nil || !strings.Contains(err.Error(), `"red" is not #rrggbb`) {
		t.Fatalf("bad standards: %v", err)
	}
}
