package analytics

import (
	"encoding/json"
	"math"
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
		got, want := strictJSON([]byte(s)), json.Valid([]byte(s))
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
	if strictJSON(deep) {
		t.Errorf("strictJSON accepted %d levels; deeper bodies go to the general validator", maxFastDepth+1)
	}
	if !strictJSON(deep[1 : len(deep)-1]) {
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
	for _, s := range []string{`{"data":[[1,2.5],[3,null]]}`, `[1e5,-0.25]`, `"\u00e9"`, `{"a":[{}]}`, `[01]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if strictJSON(b) && !json.Valid(b) {
			t.Fatalf("strictJSON accepted invalid %q", b)
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
