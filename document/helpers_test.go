package document

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func openBytes(t testing.TB, b []byte) *Document {
	t.Helper()
	d, err := Read(context.Background(), bytes.NewReader(b), nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func openWorkbookFixture(t testing.TB) *Workbook {
	t.Helper()
	w, err := openBytes(t, readFixture(t, "superstore.twb")).Workbook()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func saveBytes(t testing.TB, d *Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := d.Write(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xmlDiff compares two XML documents element by element and attribute by
// attribute (attribute order and white-space-only text ignored) and returns
// the first difference, or "".
func xmlDiff(a, b []byte) string {
	da, db := etree.NewDocument(), etree.NewDocument()
	if err := da.ReadFromBytes(a); err != nil {
		return "first: " + err.Error()
	}
	if err := db.ReadFromBytes(b); err != nil {
		return "second: " + err.Error()
	}
	return elemDiff(da.Root(), db.Root(), "/")
}

func elemDiff(a, b *etree.Element, path string) string {
	path += a.FullTag()
	if a.FullTag() != b.FullTag() {
		return fmt.Sprintf("%s: tag %s vs %s", path, a.FullTag(), b.FullTag())
	}
	am, bm := map[string]string{}, map[string]string{}
	for _, x := range a.Attr {
		am[x.FullKey()] = x.Value
	}
	for _, x := range b.Attr {
		bm[x.FullKey()] = x.Value
	}
	if len(am) != len(bm) {
		return fmt.Sprintf("%s: %d vs %d attributes", path, len(am), len(bm))
	}
	for k, v := range am {
		if w, ok := bm[k]; !ok || w != v {
			return fmt.Sprintf("%s: attribute %s: %q vs %q", path, k, v, w)
		}
	}
	if ta, tb := strings.TrimSpace(a.Text()), strings.TrimSpace(b.Text()); ta != tb {
		return fmt.Sprintf("%s: text %q vs %q", path, ta, tb)
	}
	ca, cb := a.ChildElements(), b.ChildElements()
	if len(ca) != len(cb) {
		return fmt.Sprintf("%s: %d vs %d children", path, len(ca), len(cb))
	}
	for i := range ca {
		if d := elemDiff(ca[i], cb[i], path+"/"); d != "" {
			return d
		}
	}
	return ""
}

type zipEntry struct {
	name   string
	data   []byte
	method uint16
}

// buildZip makes a package from entries, in order.
func buildZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method, Modified: time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeHyper returns bytes standing in for an extract: the package code
// treats it as opaque.
func fakeHyper(seed byte, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed) + 1
	for i := range b {
		x = x*1664525 + 1013904223
		b[i] = byte(x >> 24)
	}
	return b
}

// superstoreTWBX packages the fixture workbook with an extract and an image.
func superstoreTWBX(t testing.TB) []byte {
	return buildZip(t, []zipEntry{
		{name: "Superstore.twb", data: readFixture(t, "superstore.twb"), method: zip.Deflate},
		{name: "Data/Extracts/Orders.hyper", data: fakeHyper(1, 64<<10), method: zip.Store},
		{name: "Image/logo.png", data: []byte("\x89PNG\r\n\x1a\nnot really an image"), method: zip.Deflate},
		{name: "Data/Orders/geo.tds", data: readFixture(t, "legacy93.tds"), method: zip.Deflate},
	})
}

// rawEntries returns each entry's name and raw (compressed) bytes, in order.
func rawEntries(t testing.TB, pkg []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	raw := map[string][]byte{}
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := b.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		raw[f.Name] = b.Bytes()
	}
	return names, raw
}
