package analytics_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/analytics"
)

// newServer starts an analytics server over real HTTP with a few functions.
func newServer(t *testing.T, opts *analytics.Options) (*analytics.Server, string) {
	t.Helper()
	s := analytics.New(opts)
	must(t, s.Register("add", func(a, b []float64) ([]float64, error) {
		out := make([]float64, len(a))
		for i := range a {
			out[i] = a[i] + b[i]
		}
		return out, nil
	}, &analytics.FunctionOptions{Description: "a + b", Params: []string{"a", "b"}}))
	must(t, s.Register("count", func(xs []string) ([]int64, error) {
		return []int64{int64(len(xs))}, nil
	}, nil))
	must(t, s.Register("upper", func(xs []string, flags []bool) ([]string, error) {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = x
			if flags[i] {
				out[i] = strings.ToUpper(x)
			}
		}
		return out, nil
	}, nil))
	must(t, s.Register("boom", func(xs []float64) ([]float64, error) {
		if len(xs) > 0 {
			panic(fmt.Sprintf("cannot score %v", xs[0]))
		}
		return xs, nil
	}, nil))
	must(t, s.Register("slow", func(ctx context.Context, xs []float64) ([]float64, error) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(10 * time.Second):
			return xs, nil
		}
	}, nil))
	must(t, s.Register("fails", func(xs []float64) ([]float64, error) {
		return nil, errors.New("model not ready")
	}, nil))
	must(t, s.Register("wronglen", func(xs []float64) ([]float64, error) {
		return []float64{1, 2}, nil
	}, nil))
	must(t, s.RegisterTable("describe", func(ctx context.Context, in analytics.Table) (analytics.Table, error) {
		var names []string
		var means []float64
		for _, c := range in.Columns {
			xs, err := in.Floats(c.Name)
			if err != nil {
				continue
			}
			sum := 0.0
			for _, x := range xs {
				sum += x
			}
			names = append(names, c.Name)
			means = append(means, sum/float64(len(xs)))
		}
		return analytics.NewTable(
			analytics.Column{Name: "column", Values: names},
			analytics.Column{Name: "mean", Values: means},
		), nil
	}, nil))
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

type answer struct {
	status int
	body   string
	header http.Header
}

func do(t *testing.T, method, url, body string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	must(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return answer{resp.StatusCode, string(b), resp.Header}
}

// errorBody checks TabPy's error shape and returns message and info.
func errorBody(t *testing.T, a answer) (string, string) {
	t.Helper()
	var e struct {
		Message string          `json:"message"`
		Info    json.RawMessage `json:"info"`
	}
	if err := json.Unmarshal([]byte(a.body), &e); err != nil || e.Message == "" {
		t.Fatalf("error body %q is not {message, info}: %v", a.body, err)
	}
	var info string
	_ = json.Unmarshal(e.Info, &info)
	return e.Message, info
}

func wantError(t *testing.T, a answer, status int, contains string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d (body %s)", a.status, status, a.body)
	}
	msg, info := errorBody(t, a)
	if !strings.Contains(msg+" "+info, contains) {
		t.Fatalf("error %q / %q does not mention %q", msg, info, contains)
	}
}

func TestInfo(t *testing.T) {
	_, url := newServer(t, &analytics.Options{Description: "test server"})
	a := do(t, "GET", url+"/info", "")
	if a.status != 200 {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	var info struct {
		Description string `json:"description"`
		Versions    map[string]struct {
			Features map[string]any `json:"features"`
		} `json:"versions"`
	}
	must(t, json.Unmarshal([]byte(a.body), &info))
	if info.Description != "test server" {
		t.Errorf("description %q", info.Description)
	}
	f := info.Versions["v1"].Features
	if f["evaluate_enabled"] != true || f["gzip_enabled"] != true {
		t.Errorf("features %v", f)
	}
	if _, ok := f["authentication"]; ok {
		t.Errorf("authentication reported without credentials: %v", f)
	}
}

func TestEndpointsAndStatus(t *testing.T) {
	_, url := newServer(t, nil)
	a := do(t, "GET", url+"/endpoints", "")
	var eps map[string]map[string]any
	must(t, json.Unmarshal([]byte(a.body), &eps))
	add, ok := eps["add"]
	if !ok || add["type"] != "model" || add["description"] != "a + b" {
		t.Fatalf("endpoints: %s", a.body)
	}
	if doc, _ := add["docstring"].(string); !strings.Contains(doc, "a []float64, b []float64") {
		t.Errorf("docstring %q", doc)
	}
	if a := do(t, "GET", url+"/endpoints?type=alias", ""); a.body != "{}" {
		t.Errorf("alias filter: %s", a.body)
	}
	a = do(t, "GET", url+"/endpoints/add", "")
	var one map[string]map[string]any
	must(t, json.Unmarshal([]byte(a.body), &one))
	if _, ok := one["add"]; !ok || len(one) != 1 {
		t.Errorf("endpoint: %s", a.body)
	}
	wantError(t, do(t, "GET", url+"/endpoints/nope", ""), 404, "nope")
	a = do(t, "GET", url+"/status", "")
	var st map[string]map[string]any
	must(t, json.Unmarshal([]byte(a.body), &st))
	if st["add"]["status"] != "LoadSuccessful" {
		t.Errorf("status: %s", a.body)
	}
	wantError(t, do(t, "GET", url+"/nothing", ""), 404, "no such endpoint")
}

func TestEvaluateProbe(t *testing.T) {
	_, url := newServer(t, nil)
	for _, script := range []string{"return int(1)", "  return int( 1 )\n", "return int(1);"} {
		body, _ := json.Marshal(map[string]any{"script": script, "data": map[string]any{}})
		if a := do(t, "POST", url+"/evaluate", string(body)); a.status != 200 || a.body != "1" {
			t.Errorf("%q: %d %s", script, a.status, a.body)
		}
	}
}

func TestEvaluateQuery(t *testing.T) {
	_, url := newServer(t, nil)
	cases := []struct{ body, want string }{
		{`{"script":"return tabpy.query('add', _arg1, _arg2)['response']","data":{"_arg1":[1,2,3],"_arg2":[10,20,30.5]}}`, `[11,22,33.5]`},
		{`{"script":"return tabpy.query(\"add\",_arg2,_arg1)[\"response\"]","data":{"_arg1":[1],"_arg2":[2]}}`, `[3]`},
		{`{"script":"return tabpy.query('count', _arg1)['response']","data":{"_arg1":["a","b","c"]}}`, `[3]`},
		{`{"script":"return tabpy.query('upper', _arg1, _arg2)['response']","data":{"_arg1":["a","b\"q"],"_arg2":[true,false]}}`, `["A","b\"q"]`},
		{`{"script":"return tabpy.query('add', _arg1, _arg2)['response']","data":{"_arg1":[],"_arg2":[]}}`, `[]`},
	}
	for _, c := range cases {
		a := do(t, "POST", url+"/evaluate", c.body)
		if a.status != 200 || a.body != c.want {
			t.Errorf("%s\n got %d %s, want %s", c.body, a.status, a.body, c.want)
		}
	}
}

func TestEvaluateUnsupportedScript(t *testing.T) {
	_, url := newServer(t, nil)
	for _, script := range []string{
		"import os\nreturn os.system('id')",
		"return _arg1",
		"return tabpy.query('add', _arg1)",
		"return tabpy.query(add, _arg1)['response']",
		"return tabpy.query('add', _arg1 + 1)['response']",
		"return tabpy.query('add', _arg1)['response']; import os",
	} {
		body, _ := json.Marshal(map[string]any{"script": script, "data": map[string]any{"_arg1": []int{1}}})
		wantError(t, do(t, "POST", url+"/evaluate", string(body)), 400, "tabpy.query('<function>'")
	}
	wantError(t, do(t, "POST", url+"/evaluate", `{"data":{}}`), 400, "Script is empty")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('nope', _arg1)['response']","data":{"_arg1":[1]}}`), 404, `"nope"`)
}

func TestEvaluateDisabled(t *testing.T) {
	_, url := newServer(t, &analytics.Options{DisableEvaluate: true})
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return int(1)"}`), 404, "disabled")
	if a := do(t, "POST", url+"/query/add", `{"data":[[1],[2]]}`); a.status != 200 {
		t.Errorf("query with evaluate disabled: %d %s", a.status, a.body)
	}
}

func TestQuery(t *testing.T) {
	_, url := newServer(t, nil)
	for _, body := range []string{
		`{"data":[[1,2],[3,4]]}`,
		`{"data":{"a":[1,2],"b":[3,4]}}`,
		`{"data":{"_arg1":[1,2],"_arg2":[3,4]}}`,
	} {
		a := do(t, "POST", url+"/query/add", body)
		if a.status != 200 {
			t.Fatalf("%s: %d %s", body, a.status, a.body)
		}
		var r struct {
			Response []float64 `json:"response"`
			Version  int       `json:"version"`
			Model    string    `json:"model"`
			UUID     string    `json:"uuid"`
		}
		must(t, json.Unmarshal([]byte(a.body), &r))
		if fmt.Sprint(r.Response) != "[4 6]" || r.Version != 1 || r.Model != "add" || len(r.UUID) != 36 {
			t.Errorf("%s: %+v", body, r)
		}
	}
	wantError(t, do(t, "POST", url+"/query/nope", `{"data":[]}`), 404, "Endpoint 'nope' does not exist")
	wantError(t, do(t, "POST", url+"/query/add", `{"x":1}`), 400, `key called "data"`)
	wantError(t, do(t, "POST", url+"/query/add", `{"data":5}`), 400, "dictionary or a list")
}

func TestTableExtension(t *testing.T) {
	_, url := newServer(t, nil)
	body := `{"script":"return tabpy.query('describe', _arg1)['response']","data":{"_arg1":{"sales":[1,2,3],"profit":[2,null,4],"region":["a","b","c"]}}}`
	a := do(t, "POST", url+"/evaluate", body)
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	// NaN (from the null) propagates into profit's mean and comes back as null.
	if a.body != `{"column":["sales","profit"],"mean":[2,null]}` {
		t.Errorf("table: %s", a.body)
	}
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('describe', _arg1)['response']","data":{"_arg1":{"a":[1,2],"b":[1]}}}`),
		400, "equal lengths")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('describe', _arg1)['response']","data":{"_arg1":[1,2]}}`),
		400, "must be a table")
	// A table extension without an input table gets an empty table.
	if a := do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('describe')['response']"}`); a.status != 200 {
		t.Errorf("no input: %d %s", a.status, a.body)
	}
}

func TestGzipBody(t *testing.T) {
	_, url := newServer(t, nil)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(`{"data":[[1],[2]]}`))
	must(t, zw.Close())
	a := do(t, "POST", url+"/query/add", buf.String(), "Content-Encoding", "gzip")
	if a.status != 200 || !strings.Contains(a.body, `"response":[3]`) {
		t.Fatalf("gzip: %d %s", a.status, a.body)
	}
	wantError(t, do(t, "POST", url+"/query/add", "not gzip", "Content-Encoding", "gzip"), 400, "gzip")
	wantError(t, do(t, "POST", url+"/query/add", `{}`, "Content-Encoding", "br"), 415, "br")
	_, url2 := newServer(t, &analytics.Options{DisableGzip: true})
	wantError(t, do(t, "POST", url2+"/query/add", buf.String(), "Content-Encoding", "gzip"), 415, "disabled")
}

func TestNaNAndNull(t *testing.T) {
	_, url := newServer(t, nil)
	// Python's json writes NaN and Infinity; Tableau sends null for missing values.
	a := do(t, "POST", url+"/query/add", `{"data":[[1, NaN, null, Infinity, -Infinity, 1e308], [1, 1, 1, 1, 1, 1e308]]}`)
	if a.status != 200 || !strings.Contains(a.body, `"response":[2,null,null,null,null,null]`) {
		t.Fatalf("NaN: %d %s", a.status, a.body)
	}
	// Strings that merely contain NaN stay strings.
	a = do(t, "POST", url+"/query/count", `{"data":[["NaN", "Infinity is \"NaN\""]]}`)
	if a.status != 200 || !strings.Contains(a.body, `"response":[2]`) {
		t.Fatalf("NaN in strings: %d %s", a.status, a.body)
	}
	// null in a string column is refused with the argument and row.
	wantError(t, do(t, "POST", url+"/query/count", `{"data":[["a", null]]}`), 400, "_arg1[1] is null")
	wantError(t, do(t, "POST", url+"/query/upper", `{"data":[["a"], [null]]}`), 400, "_arg2[0] is null")
	_ = math.NaN
}
