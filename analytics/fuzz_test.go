package analytics

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func FuzzParseScript(f *testing.F) {
	for _, s := range []string{
		"return int(1)",
		"return tabpy.query('add', _arg1, _arg2)['response']",
		"return tabpy.query(\"x y\",_arg10,)[\"response\"];",
		"return tabpy.query('a')['response']",
		"import os\nreturn 1",
		"return tabpy.query('a', _arg1",
		"return tabpy.query('", "return", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := parseScript(src)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Status != 400 {
				t.Fatalf("error %v is not a 400 *Error", err)
			}
			return
		}
		if sc.probe {
			return
		}
		// A parsed call round-trips through its canonical form.
		args := make([]string, len(sc.args))
		for i, n := range sc.args {
			args[i] = fmt.Sprintf(", _arg%d", n)
		}
		canon := fmt.Sprintf("return tabpy.query('%s'%s)['response']", sc.name, strings.Join(args, ""))
		again, err := parseScript(canon)
		if err != nil || again.name != sc.name || fmt.Sprint(again.args) != fmt.Sprint(sc.args) {
			t.Fatalf("%q parsed as %+v, canonical %q as %+v (%v)", src, sc, canon, again, err)
		}
	})
}

func FuzzDecodeRequest(f *testing.F) {
	for _, s := range []string{
		`{"script":"return tabpy.query('f', _arg1, _arg2)['response']","data":{"_arg1":[1,2.5,null,NaN],"_arg2":["a","b\"c","\u00e9",null]}}`,
		`{"script":"return tabpy.query('f', _arg1)['response']","data":{"_arg1":{"a":[1,2],"b":["x",null],"c":[true,false]}}}`,
		`{"script":"return int(1)","data":{}}`,
		`{"script":"return tabpy.query('f', _arg1)['response']","data":{"_arg1":[Infinity,-Infinity,1e308,-0,3]}}`,
		`{"script":"return tabpy.query('f', _arg1)['response']","data":{"_arg1":[[1],{"a":1},"NaN"]}}`,
		`{"data":[[1,2],[3,4]]}`, `{`, `null`, `[]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v, e := validateBody(body, nil)
		if e != nil {
			if e.Status != 400 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
			return
		}
		if !json.Valid(body) && !bytes.Contains(body, []byte("NaN")) && !bytes.Contains(body, []byte("Infinity")) {
			t.Fatalf("invalid JSON %q accepted", body)
		}
		// The raw splitter agrees with encoding/json on the top level.
		if v[0] == '{' {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(v, &m); err != nil {
				t.Fatalf("validated body %q: %v", v, err)
			}
			ms := objectMembers(v)
			for k, want := range m {
				got := lookupMember(ms, k)
				if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
					t.Fatalf("member %q: %q, encoding/json %q", k, got, want)
				}
			}
		}
		_, args, names, e := decodeEvaluate(v)
		if e != nil {
			if e.Status != 400 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
			return
		}
		for i, a := range args {
			for _, k := range []kind{kindFloat, kindInt64, kindInt, kindString, kindBool} {
				col, n, err := decodeColumn(a, k, names[i], nil)
				if err != nil {
					if _, ok := err.(*Error); !ok {
						t.Fatalf("error %T %v", err, err)
					}
					continue
				}
				out, err := appendColumn(nil, col)
				if err != nil {
					t.Fatal(err)
				}
				var back []any
				if err := json.Unmarshal(out, &back); err != nil || len(back) != n {
					t.Fatalf("%s re-encoded as invalid JSON %q (%v)", k, out, err)
				}
			}
			if tbl, err := decodeTable(a, names[i]); err == nil {
				out, err := appendTable(nil, tbl)
				if err != nil {
					t.Fatal(err)
				}
				if !json.Valid(out) {
					t.Fatalf("table re-encoded as invalid JSON %q", out)
				}
			}
		}
	})
}
