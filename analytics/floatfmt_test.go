package analytics

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendFloatRoundTrips checks that every float written parses back to
// the same value, and that the short decimal path agrees with strconv's
// shortest representation where both apply.
func TestAppendFloatRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.2, 0.3, 1.005, 2096.95, 1730.63, 0.0001, 0.00011, 123456789012345,
		999999999999999.9, 1e15, 1e-5, 5e-324, math.MaxFloat64, -2.675, 1.0 / 3, 2.5e-4, 7.0001}
	for range 200000 {
		switch rng.IntN(3) {
		case 0:
			vals = append(vals, float64(rng.IntN(2000000)-1000000)/100)
		case 1:
			vals = append(vals, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(30)-10)))
		default:
			vals = append(vals, float64(rng.IntN(100000))/10000*math.Pow(10, float64(rng.IntN(8))))
		}
	}
	for _, f := range vals {
		s := string(appendFloat(nil, f))
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != f || math.Signbit(back) != math.Signbit(f) {
			t.Fatalf("%v written as %q, read back %v (%v)", f, s, back, err)
		}
		if short, ok := appendShortDecimal(nil, f); ok {
			want := strconv.FormatFloat(f, 'f', -1, 64)
			if string(short) != want {
				t.Fatalf("%v: short %q, strconv shortest %q", f, short, want)
			}
		}
	}
}

func BenchmarkAppendFloat(b *testing.B) {
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = float64(i*37%100000) / 100 * 3
	}
	buf := make([]byte, 0, 32)
	for b.Loop() {
		for _, f := range vals {
			buf = appendFloat(buf[:0], f)
		}
	}
}

func BenchmarkStrconvFloat(b *testing.B) {
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = float64(i*37%100000) / 100 * 3
	}
	buf := make([]byte, 0, 32)
	for b.Loop() {
		for _, f := range vals {
			buf = strconv.AppendFloat(buf[:0], f, 'g', -1, 64)
		}
	}
}

func TestHasControl(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		want := false
		for _, c := range b {
			if c < 0x20 {
				want = true
			}
		}
		if hasControl(b) != want {
			t.Fatalf("hasControl(%q) = %v", b, !want)
		}
	}
}

// TestParseSimpleDecimal checks the fast path against strconv.ParseFloat.
func TestParseSimpleDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	toks := []string{"0", "-0", "1", "-1", "0.1", "123.456", "999999999999999", "0.000000000000001", "1.5", "-2.675", "9007199254740993", "00", "1.", "1e5"}
	for range 300000 {
		var s string
		switch rng.IntN(3) {
		case 0:
			s = strconv.FormatFloat(float64(rng.IntN(1e9))/math.Pow(10, float64(rng.IntN(10))), 'f', -1, 64)
		case 1:
			s = strconv.FormatFloat((rng.Float64()-0.5)*1e6, 'f', rng.IntN(12), 64)
		default:
			s = strconv.Itoa(rng.IntN(1 << 40))
		}
		toks = append(toks, s)
	}
	for _, s := range toks {
		got, ok := parseSimpleDecimal([]byte(s))
		if !ok {
			continue
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || got != want || math.Signbit(got) != math.Signbit(want) {
			t.Fatalf("%q: fast path %v, strconv %v (%v)", s, got, want, err)
		}
	}
}
