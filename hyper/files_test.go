package hyper

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestCopyFromCSVAndParquet(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "in.csv")
	if err := os.WriteFile(csvPath, []byte("id;name;day\n1;Ann;2024-01-02\n2;;2024-01-03\n3;\"semi;colon\";\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	def := &TableDefinition{Name: Table("people"), Columns: []Column{
		{Name: "id", Type: Int(), NotNull: true}, {Name: "name", Type: Text()}, {Name: "day", Type: Date()}}}
	if err := c.CreateTable(ctx, def, false); err != nil {
		t.Fatal(err)
	}
	n, err := c.CopyFromFile(ctx, def.Name, csvPath, &FileOptions{Delimiter: ";"})
	if err != nil || n != 3 {
		t.Fatalf("CopyFromFile = %d, %v", n, err)
	}
	rows, err := c.ReadTable(ctx, def.Name)
	if err != nil {
		t.Fatal(err)
	}
	if rows[1][1] != nil || rows[2][1] != "semi;colon" || rows[2][2] != nil {
		t.Fatalf("rows %v", rows)
	}
	// Parquet written by hyperd itself, then read back through external().
	pq := filepath.Join(dir, "people.parquet")
	if _, err := c.Exec(ctx, "COPY people TO "+QuoteLiteral(pq)+" WITH (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	n, err = c.CreateTableFromFile(ctx, TableName{Schema: "Extract", Table: "Extract"}, pq, nil)
	if err != nil || n != 3 {
		t.Fatalf("CreateTableFromFile = %d, %v", n, err)
	}
	if n, err := c.CopyFromFile(ctx, def.Name, pq, nil); err != nil || n != 3 {
		t.Fatalf("CopyFromFile parquet = %d, %v", n, err)
	}
	if _, err := c.CopyFromFile(ctx, def.Name, csvPath, &FileOptions{Format: "xlsx"}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("bad format: %v", err)
	}
	if _, err := c.CopyFromFile(ctx, def.Name, filepath.Join(dir, "missing.csv"), nil); err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestArrowInAndOut(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	if _, err := c.Exec(ctx, `CREATE TABLE a (id BIGINT NOT NULL, name TEXT, v DOUBLE PRECISION)`); err != nil {
		t.Fatal(err)
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	var recs []arrow.RecordBatch
	for batch := range 3 {
		for i := range 1000 {
			id := int64(batch*1000 + i)
			b.Field(0).(*array.Int64Builder).Append(id)
			if i%3 == 0 {
				b.Field(1).(*array.StringBuilder).AppendNull()
			} else {
				b.Field(1).(*array.StringBuilder).Append("n")
			}
			b.Field(2).(*array.Float64Builder).Append(float64(id) / 2)
		}
		recs = append(recs, b.NewRecordBatch())
	}
	rdr, err := array.NewRecordReader(schema, recs)
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.InsertArrow(ctx, Table("a"), rdr)
	if err != nil || n != 3000 {
		t.Fatalf("InsertArrow = %d, %v", n, err)
	}
	var total, nulls int64
	var sum float64
	err = c.QueryArrow(ctx, `SELECT id, name, v FROM a`, func(rec arrow.RecordBatch) error {
		total += rec.NumRows()
		nulls += int64(rec.Column(1).NullN())
		for _, x := range rec.Column(2).(*array.Float64).Float64Values() {
			sum += x
		}
		return nil
	})
	if err != nil || total != 3000 || nulls != 1002 || sum != 2999*3000/4 {
		t.Fatalf("QueryArrow: %d rows, %d nulls, sum %v, %v", total, nulls, sum, err)
	}
	stop := errors.New("stop")
	if err := c.QueryArrow(ctx, `SELECT * FROM a`, func(arrow.RecordBatch) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("callback error: %v", err)
	}
	if v, err := c.QueryScalar(ctx, "SELECT COUNT(*) FROM a"); err != nil || v != int64(3000) {
		t.Fatalf("connection after stopped QueryArrow: %v %v", v, err)
	}
	if err := c.QueryArrow(ctx, `SELECT * FROM nope`, func(arrow.RecordBatch) error { return nil }); err == nil {
		t.Fatal("bad query accepted")
	}
}
