package document

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPackageRoundTrip(t *testing.T) {
	src := superstoreTWBX(t)
	d := openBytes(t, src)
	if !d.Packaged() || d.EntryName() != "Superstore.twb" || d.Kind() != KindWorkbook {
		t.Fatalf("packaged %v entry %q kind %v", d.Packaged(), d.EntryName(), d.Kind())
	}
	ents := d.Entries()
	if len(ents) != 4 || !ents[0].Document || ents[1].Name != "Data/Extracts/Orders.hyper" || ents[1].Method != zip.Store || ents[1].Size != 64<<10 {
		t.Fatalf("entries %+v", ents)
	}
	// Unchanged: every entry keeps its bytes.
	out := saveBytes(t, d)
	names, raw := rawEntries(t, out)
	wantNames, wantRaw := rawEntries(t, src)
	if !slices.Equal(names, wantNames) {
		t.Fatalf("names %v", names)
	}
	for _, n := range names {
		if !bytes.Equal(raw[n], wantRaw[n]) {
			t.Fatalf("entry %s changed", n)
		}
	}
}

func TestPackageChange(t *testing.T) {
	src := superstoreTWBX(t)
	w, err := openBytes(t, src).Workbook()
	if err != nil {
		t.Fatal(err)
	}
	w.Connections()[0].SetServer("prod-db.example.com")
	newHyper := fakeHyper(9, 70<<10)
	if err := w.ReplaceEntry("Data/Extracts/Orders.hyper", newHyper); err != nil {
		t.Fatal(err)
	}
	if err := w.ReplaceEntry("Data/Extracts/Missing.hyper", newHyper); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing entry: %v", err)
	}
	if err := w.ReplaceEntry("Superstore.twb", nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("replacing the document entry: %v", err)
	}
	if ents := w.Entries(); ents[1].ReplacementBytes != 70<<10 {
		t.Fatalf("pending replacement %d", ents[1].ReplacementBytes)
	}
	out := saveBytes(t, w.Document)
	names, raw := rawEntries(t, out)
	wantNames, wantRaw := rawEntries(t, src)
	if !slices.Equal(names, wantNames) {
		t.Fatalf("names %v", names)
	}
	for _, n := range []string{"Image/logo.png", "Data/Orders/geo.tds"} {
		if !bytes.Equal(raw[n], wantRaw[n]) {
			t.Fatalf("untouched entry %s changed", n)
		}
	}
	if !bytes.Equal(raw["Data/Extracts/Orders.hyper"], newHyper) { // stored: raw bytes are the content
		t.Fatal("extract not replaced")
	}
	zr, _ := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if zr.File[1].Method != zip.Store || zr.File[0].Method != zip.Deflate {
		t.Fatal("compression methods not kept")
	}
	w2, err := openBytes(t, out).Workbook()
	if err != nil {
		t.Fatal(err)
	}
	if got := w2.Connections()[0].Server(); got != "prod-db.example.com" {
		t.Fatalf("server %q", got)
	}

	// From a file, replacing from a file, saving over the original.
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "s.twbx")
	os.WriteFile(p, src, 0o644)
	hp := filepath.Join(dir, "new.hyper")
	os.WriteFile(hp, newHyper, 0o644)
	w3, err := OpenWorkbook(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w3.ReplaceEntryFile("Data/Extracts/Orders.hyper", hp); err != nil {
		t.Fatal(err)
	}
	if err := w3.Save(ctx); err != nil {
		t.Fatal(err)
	}
	w3.Close()
	if err := w3.SaveAs(ctx, filepath.Join(dir, "after-close.twbx")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("save after Close: %v", err)
	}
	saved, _ := os.ReadFile(p)
	_, raw3 := rawEntries(t, saved)
	if !bytes.Equal(raw3["Data/Extracts/Orders.hyper"], newHyper) || !bytes.Equal(raw3["Image/logo.png"], wantRaw["Image/logo.png"]) {
		t.Fatal("file-based replacement not saved")
	}
	if err := openBytes(t, readFixture(t, "orders.tds")).ReplaceEntry("x", nil); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("replace in plain file: %v", err)
	}
}

func TestPackagedDatasource(t *testing.T) {
	src := buildZip(t, []zipEntry{
		{name: "Orders.tds", data: readFixture(t, "orders.tds"), method: zip.Deflate},
		{name: "Data/Extracts/Orders.hyper", data: fakeHyper(2, 1000), method: zip.Deflate},
	})
	d := openBytes(t, src)
	ds, err := d.Datasource()
	if err != nil {
		t.Fatal(err)
	}
	if x := ds.Extract(); x == nil || x.DBName != "Data/Extracts/Orders.hyper" {
		t.Fatalf("extract %+v", x)
	}
	ds.Connections()[0].SetDBName("sales")
	d2 := openBytes(t, saveBytes(t, d))
	ds2, _ := d2.Datasource()
	if ds2.Connections()[0].DBName() != "sales" {
		t.Fatal("change lost")
	}
}

func TestPackageLimitsAndErrors(t *testing.T) {
	twb := readFixture(t, "superstore.twb")
	many := []zipEntry{{name: "a.twb", data: twb}}
	for i := range 20 {
		many = append(many, zipEntry{name: "f" + strings.Repeat("x", i), data: []byte("x")})
	}
	cases := []struct {
		name string
		data []byte
		opts *Options
		want error
	}{
		{"too many entries", buildZip(t, many), &Options{MaxEntries: 10}, ErrLimit},
		{"too large", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: "big.hyper", data: make([]byte, 1<<20), method: zip.Deflate}}), &Options{MaxUncompressedBytes: 1 << 19}, ErrLimit},
		{"document too large", buildZip(t, []zipEntry{{name: "a.twb", data: twb}}), &Options{MaxDocumentBytes: 1000}, ErrLimit},
		{"dot dot", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: "Data/../../etc/passwd", data: []byte("x")}}), nil, ErrUnsafePath},
		{"backslash dot dot", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: `Data\..\..\x`, data: []byte("x")}}), nil, ErrUnsafePath},
		{"absolute", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: "/etc/passwd", data: []byte("x")}}), nil, ErrUnsafePath},
		{"drive letter", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: "C:/x", data: []byte("x")}}), nil, ErrUnsafePath},
		{"no document", buildZip(t, []zipEntry{{name: "readme.txt", data: []byte("x")}}), nil, ErrMalformedPackage},
		{"duplicate names", buildZip(t, []zipEntry{{name: "a.twb", data: twb}, {name: "a.twb", data: twb}}), nil, ErrMalformedPackage},
		{"truncated zip", buildZip(t, []zipEntry{{name: "a.twb", data: twb, method: zip.Deflate}})[:200], nil, ErrMalformedPackage},
		{"document not XML", buildZip(t, []zipEntry{{name: "a.twb", data: []byte("PK not xml")}}), nil, ErrMalformed},
		{"old version in package", buildZip(t, []zipEntry{{name: "a.twb", data: readFixture(t, "tableau8.twb")}}), nil, ErrUnsupportedVersion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(context.Background(), bytes.NewReader(c.data), c.opts)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestMalformedXML(t *testing.T) {
	cases := map[string]string{
		"empty":              "",
		"text only":          "hello",
		"unclosed":           "<workbook version='18.1'><datasources>",
		"mismatched":         "<workbook version='18.1'><a></b></workbook>",
		"bad attribute":      "<workbook version=18.1></workbook>",
		"unterminated value": "<workbook version='18.1></workbook>",
		"bad entity":         "<workbook version='18.1'>&nbsp;</workbook>",
		"lone ampersand":     "<workbook version='18.1' a='x & y'></workbook>",
		"two roots":          "<workbook version='18.1'/><workbook version='18.1'/>",
		"text after root":    "<workbook version='18.1'/>trailing",
		"control char":       "<workbook version='18.1'>\x01</workbook>",
		"bad utf8":           "<workbook version='18.1'>\xff</workbook>",
		"lt in attribute":    "<workbook version='18.1' a='<'></workbook>",
		"doctype subset":     "<!DOCTYPE x [<!ENTITY a 'b'>]><workbook version='18.1'/>",
		"no space attrs":     "<workbook version='18.1'a='b'/>",
		"unclosed comment":   "<workbook version='18.1'><!-- x</workbook>",
		"other root":         "<html version='18.1'/>",
		"too deep":           "<workbook version='18.1'>" + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + "</workbook>",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Read(context.Background(), strings.NewReader(src), nil)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("got %v, want ErrMalformed", err)
			}
		})
	}
	_, err := Read(context.Background(), strings.NewReader("<workbook version='18.1'>\n<a>\n</b></workbook>"), nil)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 3 || !strings.Contains(se.Error(), "</b> does not match <a>") {
		t.Fatalf("syntax error detail: %v", err)
	}
}

func TestRefuseOldVersions(t *testing.T) {
	for _, src := range []string{string(readFixture(t, "tableau8.twb")), "<datasource version='8.2'/>", "<workbook/>", "<workbook version='x'/>"} {
		_, err := Read(context.Background(), strings.NewReader(src), nil)
		var ve *VersionError
		if !errors.Is(err, ErrUnsupportedVersion) || !errors.As(err, &ve) || !strings.Contains(err.Error(), "older than Tableau 9.0") {
			t.Fatalf("%q: got %v", src, err)
		}
	}
	for _, v := range []string{"9.0", "9.3", "10.0", "18.1", "2024.1"} {
		if _, err := Read(context.Background(), strings.NewReader("<workbook version='"+v+"'/>"), nil); err != nil {
			t.Fatalf("version %s refused: %v", v, err)
		}
	}
}

func TestReplaceExtractFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p := filepath.Join(dir, "orders.tdsx")
	b, _ := os.ReadFile(filepath.Join("testdata", "orders.tdsx"))
	os.WriteFile(p, b, 0o644)
	hp := filepath.Join(dir, "fresh.hyper")
	fresh := fakeHyper(7, 3000)
	os.WriteFile(hp, fresh, 0o644)
	ds, err := OpenDatasource(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.ReplaceExtractFile(hp); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.tdsx")
	if err := ds.Document().SaveAs(ctx, out); err != nil {
		t.Fatal(err)
	}
	ds.Document().Close()
	saved, _ := os.ReadFile(out)
	_, raw := rawEntries(t, saved)
	if !bytes.Equal(raw["Data/Extracts/Orders.hyper"], fresh) {
		t.Fatal("extract not replaced")
	}
	w := openWorkbookFixture(t)
	if err := w.Datasources()[0].ReplaceExtractFile(hp); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no extract: %v", err)
	}
	plain := openBytes(t, readFixture(t, "orders.tds"))
	pds, _ := plain.Datasource()
	if err := pds.ReplaceExtractFile(hp); !errors.Is(err, ErrWrongKind) {
		t.Fatalf("not packaged: %v", err)
	}
}
