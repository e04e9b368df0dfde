package analytics

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// TestStrictJSON checks the one-pass validator against encoding/json: it
// may only say "valid" for valid JSON.
func TestStrictJSON(t *testing.T) {
	for _, s := range []string{
		`{}`, `[]`, ` { } `, `{"a":1}`, `{"a":[1,2.5,-3e4,null,true,false,"x"]}`, `[[],[[]],{}]`,
		`{"a":{"b":{"c":[1]}}}`, `"\u00e9\n\"\\\/"`, `0`, `-0.0e+1`, `[1E-2]`, "\t[1,\r\n2]\n",
		`{"a":1,"a":2}`, `"é"`,
		// invalid
		``, ` `, `{`, `}`, `[`, `]`, `[1,]`, `[,1]`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{1:2}`,
		`[01]`, `[1.]`, `[.5]`, `[-]`, `[1e]`, `[1e+]`, `[+1]`, `[0x1]`, `[NaN]`, `[tru]`, `[nul]`,
		`"a` + "\x01" + `"`, `"\x"`, `"\u12"`, `"\u12g4"`, `"abc`, `[1 2]`, `{"a":1 "b":2}`, `[1]]`, `[1] x`,
		`{"a":[1}`, `[{]}`, `[1,{"a":[2,]}]`, `{"a" 1}`,
	} {
		got, want := strictJSON([]byte(s), nil), json.Valid([]byte(s))
		if got != want {
			t.Errorf("strictJSON(%q) = %v, encoding/json says %v", s, got, want)
		}
	}
	deep := make([]byte, 0, 2*(maxFastDepth+1))
	for range maxFastDepth + 1 {
		deep = append(deep, '[')
	}
	for range maxFastDepth + 1 {
		deep = append(deep, ']')
	}
	if strictJSON(deep, nil) {
		t.Errorf("strictJSON accepted %d levels; deeper bodies go to the general validator", maxFastDepth+1)
	}
	if !strictJSON(deep[1:len(deep)-1], nil) {
		t.Errorf("strictJSON refused %d levels", maxFastDepth)
	}
}

// TestDecodeFloatsFast checks the one-pass float decoder against the
// general one, and that it declines what it does not handle.
func TestDecodeFloatsFast(t *testing.T) {
	for _, s := range []string{
		`[]`, `[ ]`, `[1]`, `[1,2.5,-3.25,0,-0,null, 7 ,0.001]`, `[123456789012345]`, `[ 1 , 2 ]`,
	} {
		got, ok := decodeFloatsFast([]byte(s))
		if !ok {
			t.Errorf("decodeFloatsFast(%s) declined", s)
			continue
		}
		want, _, err := decodeColumnGeneral([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %v, want %v", s, got, want)
			continue
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Errorf("%s[%d] = %v, want %v", s, i, got[i], want[i])
			}
		}
	}
	for _, s := range []string{`[0.1,0.30000000000000004]`, `[1e3]`, `[1234567890123456]`, `["NaN"]`, `[[1]]`, `[true]`, `[1,"a"]`, `[1] `, `{}`, `[`} {
		if got, ok := decodeFloatsFast([]byte(s)); ok {
			t.Errorf("decodeFloatsFast(%s) = %v, want declined", s, got)
		}
	}
}

// decodeColumnGeneral decodes a float column without the fast path.
func decodeColumnGeneral(b []byte) ([]float64, int, error) {
	var out []float64
	for _, e := range arrayElements(b) {
		f, ok := floatValue(e)
		if !ok {
			return nil, 0, elemError("x", len(out), e, "a number")
		}
		out = append(out, f)
	}
	return out, len(out), nil
}

// FuzzStrictJSON: the one-pass validator never calls invalid JSON valid,
// and the fast float decoder agrees with the general one.
func FuzzStrictJSON(f *testing.F) {
	for _, s := range []string{`{"data":[[1,2.5],[3,null]]}`, `[1e5,-0.25]`, `"\u00e9"`, `{"a":[{}]}`, `[01]`,
		`{"data":[[-0,1e308,5e-324,-0.0],[1.7976931348623157e308,1e-400,0.30000000000000004,123456789012345]]}`,
		`{"data":{"_arg1":[1234567890123456789,0.0001,-2.675],"_arg2":[1E5,2.2250738585072014e-308,9007199254740993]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if strictJSON(b, nil) && !json.Valid(b) {
			t.Fatalf("strictJSON accepted invalid %q", b)
		}
		var memo floatMemo
		if strictJSON(b, &memo) != strictJSON(b, nil) {
			t.Fatalf("strictJSON(%q) depends on the memo", b)
		}
		for _, a := range memo.arrays[:memo.n] {
			want, _, err := decodeColumnGeneral(a.raw)
			if err != nil {
				t.Fatalf("memo took %q, general decoder says %v", a.raw, err)
			}
			sameFloats(t, string(a.raw), a.vals, want)
		}
		if !json.Valid(b) {
			return
		}
		v := trimSpace(b)
		if len(v) == 0 || v[0] != '[' {
			return
		}
		got, ok := decodeFloatsFast(v)
		if !ok {
			return
		}
		want, _, err := decodeColumnGeneral(v)
		if err != nil {
			t.Fatalf("fast decoder took %q, general one says %v", v, err)
		}
		for i := range got {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
				t.Fatalf("%q[%d] = %v, want %v", v, i, got[i], want[i])
			}
		}
	})
}

func sameFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

// TestFloatMemo: the arguments validated in the same pass are the ones
// decodeColumn gets, once each, and only at the arguments' depth.
func TestFloatMemo(t *testing.T) {
	body := []byte(`{"script":"x","data":{"_arg1":[1.5, null,-2],"_arg2":[[3]],"_arg3":[1e2]},"other":[4]}`)
	var memo floatMemo
	if !strictJSON(body, &memo) {
		t.Fatal("valid body refused")
	}
	if memo.n != 1 || string(memo.arrays[0].raw) != "[1.5, null,-2]" {
		t.Fatalf("memo holds %d arrays: %+v", memo.n, memo.arrays[:memo.n])
	}
	raw := memo.arrays[0].raw
	if _, ok := memo.take([]byte("[1.5, null,-2]")); ok {
		t.Error("memo matched equal bytes at another address")
	}
	col, n, err := decodeColumn(raw, kindFloat, "_arg1", &memo)
	if err != nil || n != 3 {
		t.Fatalf("decodeColumn: %v %d", err, n)
	}
	want, _, _ := decodeColumnGeneral(raw)
	sameFloats(t, "_arg1", col.([]float64), want)
	if _, ok := memo.take(raw); ok {
		t.Error("memo gave the same slice twice")
	}
	for _, s := range []string{`{"data":[[01]]}`, `{"data":[[1,]]}`, `{"data":[[-]]}`, `{"data":[[1 2]]}`, `{"data":[[nul]]}`, `{"data":[[.5]]}`} {
		var memo floatMemo
		if strictJSON([]byte(s), &memo) {
			t.Errorf("strictJSON accepted %s", s)
		}
	}
}

// appendShortDecimalRef is the straightforward version of
// appendShortDecimal (strconv digits, a division per try): the output
// must be byte for byte the same.
func appendShortDecimalRef(b []byte, f float64) ([]byte, bool) {
	if f == 0 {
		if math.Signbit(f) {
			return append(b, "-0"...), true
		}
		return append(b, '0'), true
	}
	if math.Abs(f) >= 1e15 || math.Abs(f) < 1e-4 {
		return b, false
	}
	for k, p := range pow10 {
		v := f * p
		if math.Abs(v) >= 1<<53 {
			return b, false
		}
		n := math.Round(v)
		if n/p != f {
			continue
		}
		i := int64(n)
		if k == 0 {
			return strconv.AppendInt(b, i, 10), true
		}
		if i < 0 {
			b = append(b, '-')
			i = -i
		}
		d := strconv.AppendInt(nil, i, 10)
		for len(d) <= k {
			d = append([]byte{'0'}, d...)
		}
		b = append(b, d[:len(d)-k]...)
		b = append(b, '.')
		return append(b, d[len(d)-k:]...), true
	}
	return b, false
}

func TestAppendShortDecimalSameAsReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	values := []float64{0.05, -0.05, 0.0001, 1e-4, 9.9999, 123.45, -123.45, 1e14 + 0.5, 999999999999999, 0.1 + 0.2, 1.65, 2*0.37 + 0.91,
		// Around 1e11, where appendShortDecimal switches from one try
		// with four decimals to trying k = 0, 1, ...
		99999999999.9999, -99999999999.9999, 99999999999.999, 1e11, 1e11 + 0.5, 1e11 - 0.5, 1e11 + 0.0001, 1e11 - 0.0001,
		math.Nextafter(1e11, 0), math.Nextafter(1e11, 2e11), 9007199254.7409, 0.00010000000000000002, 100, 1234500, -7}
	for range 100000 {
		// Four-decimal values (and their neighbours) from 1e-4 to 1e12.
		f := float64(rng.IntN(1<<40)) / 1e4 * math.Pow(10, float64(rng.IntN(5)-4))
		values = append(values, f, -f, math.Nextafter(f, 0), math.Nextafter(f, math.Inf(1)))
	}
	for range 200000 {
		switch rng.IntN(4) {
		case 0:
			values = append(values, float64(rng.IntN(2000000)-1000000)/100)
		case 1:
			values = append(values, 2*float64(rng.IntN(100000))/100+float64(rng.IntN(100000))/100)
		case 2:
			values = append(values, float64(rng.IntN(1<<40)-1<<39)/float64(pow10[rng.IntN(5)]))
		default:
			values = append(values, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(20)-6)))
		}
	}
	for _, f := range values {
		got, gok := appendShortDecimal(nil, f)
		want, wok := appendShortDecimalRef(nil, f)
		if gok != wok || string(got) != string(want) {
			t.Fatalf("appendShortDecimal(%v) = %q %v, want %q %v", f, got, gok, want, wok)
		}
	}
}

// TestFloatColumnsMatchStrconv checks that float arguments decode bit for
// bit as strconv.ParseFloat parses them, on both paths (the one-pass
// decoder where it answers, the general one always): edge values, huge and
// tiny exponents, -0, subnormals, many digits, and random decimals.
// Numbers beyond float64's range are refused by both.
func TestFloatColumnsMatchStrconv(t *testing.T) {
	toks := []string{"0", "-0", "0.0", "-0.0", "1", "-1", "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "-5e-324",
		"4.9406564584124654e-324", "2.2250738585072014e-308", "2.2250738585072011e-308", "1e-400", "1e400", "-1e400",
		"0.1", "0.30000000000000004", "1.6500000000000001", "9007199254740993", "9007199254740992", "123456789012345",
		"1234567890123456789012345678901234567890", "0.000000000000000000000000000001", "3.141592653589793238462643383279",
		"1E5", "1e+5", "1e-5", "-2.675", "999999999999999.9", "100000000000000000000000", "7.0001", "0.0001"}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100000 {
		var s string
		switch rng.IntN(4) {
		case 0:
			s = strconv.FormatFloat(float64(rng.IntN(1e9)-5e8)/math.Pow(10, float64(rng.IntN(10))), 'f', -1, 64)
		case 1:
			s = strconv.FormatFloat(math.Float64frombits(rng.Uint64()), 'g', -1, 64)
		case 2:
			s = strconv.FormatFloat((rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(40)-20)), 'f', rng.IntN(20), 64)
		default:
			s = strconv.Itoa(rng.IntN(1<<62)) + "." + strconv.Itoa(rng.IntN(1<<62))
		}
		if s == "NaN" || s == "+Inf" || s == "-Inf" {
			continue
		}
		toks = append(toks, s)
	}
	for _, s := range toks {
		want, err := strconv.ParseFloat(s, 64)
		arr := []byte("[" + s + "]")
		if errors.Is(err, strconv.ErrRange) {
			// Out of float64's range (1e400): a 400, on both paths.
			if got, ok := decodeFloatsFast(arr); ok {
				t.Fatalf("%s: fast path took it as %v", arr, got)
			}
			if got, _, err := decodeColumnGeneral(arr); err == nil {
				t.Fatalf("%s: general path took it as %v", arr, got)
			} else if !strings.Contains(err.Error(), "beyond float64's range") {
				t.Fatalf("%s: error %q does not say the number is out of range", arr, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got, ok := decodeFloatsFast(arr); ok && (len(got) != 1 || math.Float64bits(got[0]) != math.Float64bits(want)) {
			t.Fatalf("%s: fast path %v, strconv %v", arr, got, want)
		}
		got, _, err := decodeColumnGeneral(arr)
		if err != nil || len(got) != 1 || math.Float64bits(got[0]) != math.Float64bits(want) {
			t.Fatalf("%s: general path %v (%v), strconv %v", arr, got, err, want)
		}
	}
}

// BenchmarkDecodeFloats compares the one-pass decoder with
// strconv.ParseFloat on zero-copy slices of the same array (1,000 values
// with two decimals, as in BenchmarkHandler).
func BenchmarkDecodeFloats(b *testing.B) {
	x := make([]float64, 1000)
	for i := range x {
		x[i] = float64(i*37%100000) / 100
	}
	body, _ := json.Marshal(x)
	b.Run("scanFloats", func(b *testing.B) {
		for b.Loop() {
			if _, ok := decodeFloatsFast(body); !ok {
				b.Fatal("declined")
			}
		}
	})
	b.Run("strconv", func(b *testing.B) {
		out := make([]float64, 0, len(x))
		for b.Loop() {
			out = out[:0]
			s, start := body[1:len(body)-1], 0
			for i := 0; i <= len(s); i++ {
				if i == len(s) || s[i] == ',' {
					f, err := strconv.ParseFloat(unsafeString(s[start:i]), 64)
					if err != nil {
						b.Fatal(err)
					}
					out = append(out, f)
					start = i + 1
				}
			}
		}
	})
}
