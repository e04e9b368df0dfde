package hyper

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"testing"
	"time"
)

// Golden bytes: the HyperBinary encodings hyperd returned for these values
// (SELECT ... with result format 2), which the COPY encoder must match.
func TestEncodeGoldenBytes(t *testing.T) {
	n38, _ := new(big.Int).SetString("-15000000000", 10)
	wide, _ := NumericFromBig(n38, 10)
	cases := []struct {
		name string
		got  []byte
		want string
	}{
		{"bool", appendBool(nil, true), "01"},
		{"smallint 1", appendInt16(nil, 1), "0100"},
		{"int 2", appendInt32(nil, 2), "02000000"},
		{"bigint 3", appendInt64(nil, 3), "0300000000000000"},
		{"real 1.5", appendFloat32(nil, 1.5), "0000c03f"},
		{"double 2.5", appendFloat64(nil, 2.5), "0000000000000440"},
		{"numeric(10,2) 12.34", appendNumeric(nil, NumericFromInt64(1234, 2), false), "d204000000000000"},
		{"numeric(30,2) 12.34", appendNumeric(nil, NumericFromInt64(1234, 2), true), "d2040000000000000000000000000000"},
		{"numeric(38,10) -1.5", appendNumeric(nil, wide, true), "002aee81fcffffffffffffffffffffff"},
		{"text ab", appendString(nil, "ab"), "020000006162"},
		{"bytes 00ff", appendBytes(nil, []byte{0, 0xff}), "0200000000ff"},
		{"date 2000-01-02", appendDate(nil, time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC)), "5a682500"},
		{"time 01:02:03.5", appendInt64(nil, int64(NewTimeOfDay(1, 2, 3, 500000))), "e019f0dd00000000"},
		{"timestamp 2000-01-01 00:00:01", appendTimestamp(nil, time.Date(2000, 1, 1, 0, 0, 1, 0, time.UTC)), "40a2efbe3e83f002"},
		{"timestamptz 2000-01-01 00:00:01+00", appendTimestampTZ(nil, time.Date(2000, 1, 1, 1, 0, 1, 0, time.FixedZone("X", 3600))), "40a2efbe3e83f002"},
		{"timestamp wall clock", appendTimestamp(nil, time.Date(2000, 1, 1, 0, 0, 1, 0, time.FixedZone("X", 3600))), "40a2efbe3e83f002"},
		{"interval 1 year 2 days 3 s", appendInterval(nil, Interval{Months: 12, Days: 2, Micros: 3_000_000}), "c0c62d0000000000020000000c000000"},
	}
	for _, tc := range cases {
		if got := hex.EncodeToString(tc.got); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if !bytes.Equal(copyHeader[:], append([]byte("HPRCPY"), make([]byte, 13)...)) {
		t.Errorf("header %x", copyHeader)
	}
}

func TestDecodeGoldenBytes(t *testing.T) {
	dec := func(ty Type, h string) any {
		b, _ := hex.DecodeString(h)
		v, err := DecodeValue(ty, b)
		if err != nil {
			t.Fatalf("%s %s: %v", ty, h, err)
		}
		return v
	}
	if v := dec(Date(), "5a682500"); !v.(time.Time).Equal(time.Date(2000, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v", v)
	}
	if v := dec(NumericType(38, 10), "002aee81fcffffffffffffffffffffff"); v.(Numeric).String() != "-1.5000000000" {
		t.Errorf("numeric %v", v)
	}
	if v := dec(IntervalType(), "c0c62d0000000000020000000c000000"); v != (Interval{Months: 12, Days: 2, Micros: 3_000_000}) {
		t.Errorf("interval %v", v)
	}
	if v := dec(Time(), "e019f0dd00000000"); v.(TimeOfDay).String() != "01:02:03.5" {
		t.Errorf("time %v", v)
	}
	if _, err := DecodeValue(Int(), []byte{1, 2}); err == nil {
		t.Error("short INT decoded")
	}
	if _, err := DecodeValue(Bool(), []byte{7}); err == nil {
		t.Error("BOOL 7 decoded")
	}
}

func TestJulianAcrossCalendar(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1582, 10, 15, 0, 0, 0, 0, time.UTC), time.Date(-4712, 11, 24, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
	} {
		j := dateToJulian(d)
		if back := julianToTime(j); !back.Equal(d) {
			t.Errorf("%v -> %d -> %v", d, j, back)
		}
	}
	if j := dateToJulian(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); j != 2451545 {
		t.Errorf("2000-01-01 is Julian %d, want 2451545", j)
	}
}

func TestNumericParseFormat(t *testing.T) {
	for _, s := range []string{"0", "-1.50", "12345678901234567890.123456789012345678", "-0.001", "99999999999999999999999999999999999999"} {
		n, err := ParseNumeric(s)
		if err != nil || n.String() != s {
			t.Errorf("ParseNumeric(%q) = %v, %v", s, n, err)
		}
	}
	for _, s := range []string{"", "1e5", "abc", "1.2.3", "999999999999999999999999999999999999999"} {
		if _, err := ParseNumeric(s); err == nil {
			t.Errorf("ParseNumeric(%q) succeeded", s)
		}
	}
	n, _ := ParseNumeric("1.5")
	if r, err := n.Rescale(3); err != nil || r.String() != "1.500" {
		t.Errorf("Rescale up: %v %v", r, err)
	}
	if _, err := n.Rescale(0); err == nil {
		t.Error("Rescale losing digits succeeded")
	}
}

// TestDateToJulianMatchesCivil: the day count from wall-clock seconds
// agrees with the calendar computation, across zones and centuries.
func TestDateToJulianMatchesCivil(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 13*3600+45*60), time.FixedZone("west", -11*3600)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		zones = append(zones, ny)
	}
	base := time.Date(-4712, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := int64(0); i < 20_000; i++ {
		// Steps of an odd number of seconds (about 268 days) reach every
		// time of day, from 4712 BC to AD 10001.
		u := time.Unix(base+i*23_200_007, 0)
		for _, z := range zones {
			d := u.In(z)
			y, m, day := d.Date()
			if got, want := dateToJulian(d), julianFromCivil(y, m, day); got != want {
				t.Fatalf("%v: dateToJulian %d, civil %d", d, got, want)
			}
		}
	}
}

// encodeOnly returns an Inserter that only encodes (no connection), for
// benchmarks of the client's own CPU per row.
func encodeOnly(def *TableDefinition) *Inserter {
	enc := &Inserter{flushAt: 1 << 30} // never flushes: there is no connection
	for _, col := range def.Columns {
		enc.cols = append(enc.cols, insCol{name: col.Name, typ: col.Type, kind: col.Type.Kind, notNull: col.NotNull})
	}
	enc.buf = make([]byte, 0, 1<<21)
	return enc
}

// benchmarkEncode encodes b.N rows with add, without hyperd: the client's
// own CPU per row, which on a small machine is taken from hyperd.
func benchmarkEncode(b *testing.B, def *TableDefinition, add func(*Inserter, int)) {
	enc := encodeOnly(def)
	b.ReportAllocs()
	for i := range b.N {
		add(enc, i)
		if err := enc.EndRow(); err != nil {
			b.Fatal(err)
		}
		if len(enc.buf) >= 1<<20 {
			enc.buf = enc.buf[:0]
			enc.rowStart = 0
		}
	}
}

// BenchmarkEncodeMeasurements: encoding only, measurements rows.
func BenchmarkEncodeMeasurements(b *testing.B) { benchmarkEncode(b, measurementsDef, addMeasurements) }

// BenchmarkEncodeWide: encoding only, wide rows (TEXT, DATE, TIMESTAMP).
func BenchmarkEncodeWide(b *testing.B) { benchmarkEncode(b, wideDef, addWide) }
