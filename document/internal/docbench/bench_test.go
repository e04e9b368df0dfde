package docbench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tableau-go/sdk/document"
)

func generate(b *testing.B, size Size) (src, dir string) {
	b.Helper()
	dir = b.TempDir()
	src = filepath.Join(dir, "big.twb")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := WriteWorkbook(f, size); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(src)
	b.SetBytes(st.Size())
	return src, dir
}

// BenchmarkOpen opens the generated workbook (about 22 MB) and lists its
// connections and worksheets.
func BenchmarkOpen(b *testing.B) {
	src, _ := generate(b, Size{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		w, err := document.OpenWorkbook(ctx, src, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(w.Connections()) != 420 || len(w.Worksheets()) != 420 {
			b.Fatal("shape")
		}
		w.Close()
	}
}

// BenchmarkRepoint opens the generated workbook (about 22 MB, 420
// connections), changes every connection and saves it.
func BenchmarkRepoint(b *testing.B) {
	src, dir := generate(b, Size{})
	dst := filepath.Join(dir, "out.twb")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if n, err := Repoint(ctx, src, dst); err != nil || n != 420 {
			b.Fatal(n, err)
		}
	}
}

func TestGeneratedWorkbook(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "w.twb")
	f, _ := os.Create(src)
	if err := WriteWorkbook(f, Size{Datasources: 3, Worksheets: 5, Dashboards: 2}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx := context.Background()
	dst := filepath.Join(dir, "out.twb")
	n, err := Repoint(ctx, src, dst)
	if err != nil || n != 6 {
		t.Fatal(n, err)
	}
	w, err := document.OpenWorkbook(ctx, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, c := range w.Connections() {
		if c.Server() != "prod-db.example.com" || c.DBName() != "sales" || c.Username() != "svc_prod" {
			t.Fatalf("connection %s %s", c.Server(), c.DBName())
		}
	}
	if len(w.Worksheets()) != 5 || len(w.Dashboards()) != 2 || len(w.Dashboards()[0].Sheets()) != 5 {
		t.Fatalf("shape: %d worksheets %d dashboards", len(w.Worksheets()), len(w.Dashboards()))
	}
}

// BenchmarkStyles reads every font, color and palette setting (with its
// line) of the generated workbook.
func BenchmarkStyles(b *testing.B) {
	src, _ := generate(b, Size{})
	ctx := context.Background()
	w, err := document.OpenWorkbook(ctx, src, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.ReportAllocs()
	for b.Loop() {
		if n := len(w.Styles()); n < 420*4 {
			b.Fatal(n)
		}
	}
}
