package document

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"testing"
)

// exercise reads every model of d and makes a few changes; it returns the
// saved bytes.
func exercise(t *testing.T, d *Document) []byte {
	t.Helper()
	var dss []*Datasource
	if w, err := d.Workbook(); err == nil {
		dss = w.allDatasources()
		for _, ws := range w.Worksheets() {
			_ = ws.Fields()
			_ = ws.Datasources()
		}
		for _, db := range w.Dashboards() {
			_ = db.Sheets()
		}
		for _, p := range w.Parameters() {
			_ = p.Allowed()
			_ = p.Range()
			_ = p.SetValue(p.Value())
		}
		for _, s := range w.Styles() {
			_ = s.Set(s.Value)
		}
		for _, p := range w.Palettes() {
			_ = p.SetColors([]string{"#000000"})
		}
	} else if ds, err := d.Datasource(); err == nil {
		dss = []*Datasource{ds}
	}
	for _, ds := range dss {
		for _, c := range ds.Connections() {
			c.SetServer("fuzz.example.com")
		}
		_ = ds.CustomSQL()
		_ = ds.Extract()
		for _, f := range ds.Fields() {
			_ = f.Aliases()
			_ = f.ReferencedFields()
			_ = f.Description()
			_ = f.SetCaption("fuzzed")
		}
		_, _ = ds.AddCalculatedField("x", "[a] + 1", nil)
	}
	var buf bytes.Buffer
	if err := d.Write(context.Background(), &buf); err != nil {
		if d.Packaged() && errors.Is(err, ErrMalformedPackage) {
			return nil // a damaged entry that is copied, not read, shows up when saving
		}
		t.Fatalf("write: %v", err)
	}
	return buf.Bytes()
}

func FuzzReadXML(f *testing.F) {
	for _, name := range []string{"superstore.twb", "orders.tds", "legacy93.tds", "tableau8.twb"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("<workbook version='18.1'><datasources><datasource name='a' version='18.1'><column name='[x]'/></datasource></datasources></workbook>"))
	f.Add([]byte("<workbook version='18.1'><a b='&amp;&#x41;&#65;'><![CDATA[<x>]]><!-- c --><?pi x?></a></workbook>"))
	f.Add([]byte("<workbook version='18.1'><a></b></workbook>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read(context.Background(), bytes.NewReader(data), &Options{MaxDepth: 64})
		if err != nil {
			return
		}
		// Unchanged: byte for byte.
		var buf bytes.Buffer
		if err := d.Write(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), data) {
			t.Fatal("unchanged round trip differs")
		}
		// Every element the scanner accepted parses on its own.
		for i := range d.t.nodes {
			if _, err := d.t.full(int32(i)); err != nil {
				t.Fatalf("scanner accepted what etree refuses: %v", err)
			}
		}
		d.t.units = map[int32]*unit{}
		out := exercise(t, d)
		if _, err := Read(context.Background(), bytes.NewReader(out), nil); err != nil {
			t.Fatalf("changed document does not read back: %v\n%s", err, out)
		}
	})
}

func FuzzReadPackage(f *testing.F) {
	f.Add(superstoreTWBX(f))
	f.Add(buildZip(f, []zipEntry{{name: "a.tds", data: readFixture(f, "orders.tds"), method: zip.Store}}))
	f.Add(buildZip(f, []zipEntry{{name: "a.twb", data: []byte("<workbook version='18.1'/>")}, {name: "../x", data: []byte("x")}}))
	f.Add(buildZip(f, []zipEntry{{name: "x.txt", data: []byte("x")}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Read(context.Background(), bytes.NewReader(data), &Options{MaxEntries: 100, MaxUncompressedBytes: 1 << 22, MaxDocumentBytes: 1 << 20})
		if err != nil {
			return
		}
		out := exercise(t, d)
		if d.Packaged() && out != nil {
			if _, err := Read(context.Background(), bytes.NewReader(out), nil); err != nil {
				t.Fatalf("saved package does not read back: %v", err)
			}
		}
	})
}
