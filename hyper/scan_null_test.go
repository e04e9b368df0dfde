package hyper

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

// TestScanSQLNullTypes: sql.NullString, NullTime, NullInt64 and
// NullFloat64 receive values and NULLs from a real hyperd, on the
// unboxed path and agreeing with what the general decoder gives.
func TestScanSQLNullTypes(t *testing.T) {
	ctx := context.Background()
	c, _ := openDB(t, nil)
	rows, err := c.Query(ctx, `SELECT * FROM (VALUES
		('a'::text, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:14:15.123456', TIMESTAMPTZ '2024-02-29 13:14:15+00', 7::bigint, 8::int, 1.5::double precision),
		(NULL, NULL, NULL, NULL, NULL, NULL, NULL)) v(s, d, ts, tz, b, i, f)`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		s      sql.NullString
		d      sql.NullTime
		ts, tz sql.NullTime
		b, i   sql.NullInt64
		f      sql.NullFloat64
	}
	var got []row
	for rows.Next() {
		var r row
		// Pre-set so that a NULL must clear them.
		r.s, r.d, r.b, r.f = sql.NullString{String: "stale", Valid: true}, sql.NullTime{Valid: true}, sql.NullInt64{Int64: 9, Valid: true}, sql.NullFloat64{Float64: 9, Valid: true}
		if err := rows.Scan(&r.s, &r.d, &r.ts, &r.tz, &r.b, &r.i, &r.f); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil || len(got) != 2 {
		t.Fatalf("%d rows, %v", len(got), err)
	}
	v := got[0]
	want := row{
		s:  sql.NullString{String: "a", Valid: true},
		d:  sql.NullTime{Time: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), Valid: true},
		ts: sql.NullTime{Time: time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC), Valid: true},
		tz: sql.NullTime{Time: time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC), Valid: true},
		b:  sql.NullInt64{Int64: 7, Valid: true},
		i:  sql.NullInt64{Int64: 8, Valid: true},
		f:  sql.NullFloat64{Float64: 1.5, Valid: true},
	}
	if v.s != want.s || !v.d.Time.Equal(want.d.Time) || !v.d.Valid || !v.ts.Time.Equal(want.ts.Time) || !v.tz.Time.Equal(want.tz.Time) ||
		v.b != want.b || v.i != want.i || v.f != want.f {
		t.Fatalf("values: %+v\nwant    %+v", v, want)
	}
	if n := got[1]; n.s.Valid || n.d.Valid || n.ts.Valid || n.tz.Valid || n.b.Valid || n.i.Valid || n.f.Valid || n.s.String != "" || n.b.Int64 != 0 {
		t.Fatalf("NULLs: %+v", n)
	}
	// A type the fast path does not take falls through to the general
	// decoder: NullString from an INT column is the number as text.
	var s sql.NullString
	if err := c.QueryRow(ctx, `SELECT 42::int`).Scan(&s); err != nil || s.String != "42" || !s.Valid {
		t.Fatalf("NullString from INT: %+v, %v", s, err)
	}
}

// TestScanSQLNullTypesUnboxed: the sql.Null* fast paths allocate nothing
// (the general path boxes the value and calls Scan).
func TestScanSQLNullTypesUnboxed(t *testing.T) {
	ts := appendTimestamp(nil, time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC))
	i8 := appendInt64(nil, 7)
	f8 := appendFloat64(nil, 1.5)
	var nt sql.NullTime
	var ni sql.NullInt64
	var nf sql.NullFloat64
	allocs := testing.AllocsPerRun(100, func() {
		if scanValue(Type{Kind: KindTimestamp}, ts, &nt) != nil || scanValue(Type{Kind: KindBigInt}, i8, &ni) != nil ||
			scanValue(Type{Kind: KindDouble}, f8, &nf) != nil || scanValue(Type{Kind: KindTimestamp}, nil, &nt) != nil {
			t.Fatal("scan failed")
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per scan of sql.Null* values, want 0", allocs)
	}
}
