package analytics_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/analytics"
)

func TestMalformedJSON(t *testing.T) {
	_, url := newServer(t, nil)
	for _, body := range []string{``, `{`, `{"script": "return int(1)"`, `[1,2]`, `{"script": 5}`, "\x00\xff", `{"data":[[1,2],[3,4]]}}`} {
		a := do(t, "POST", url+"/evaluate", body)
		wantError(t, a, 400, "")
		a = do(t, "POST", url+"/query/add", body)
		if a.status != 400 {
			t.Errorf("/query %q: %d %s", body, a.status, a.body)
		}
	}
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return int(1)","data":[1]}`), 400, "dictionary")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return int(1)","data":{"x":[1]}}`), 400, "_arg1, _arg2, _argN")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return int(1)","data":{"_arg2":[1]}}`), 400, "_arg1, _arg2, _argN")
}

func TestMissingAndExtraArguments(t *testing.T) {
	_, url := newServer(t, nil)
	// The script calls add with one argument; add takes two.
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('add', _arg1)['response']","data":{"_arg1":[1]}}`),
		400, "add takes 2 argument(s) (a, b), got 1")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('add', _arg1, _arg2, _arg3)['response']","data":{"_arg1":[1],"_arg2":[1],"_arg3":[1]}}`),
		400, "got 3")
	// The script refers to an argument the data lacks.
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('add', _arg1, _arg2)['response']","data":{"_arg1":[1]}}`),
		400, "_arg2")
	wantError(t, do(t, "POST", url+"/query/add", `{"data":[[1]]}`), 400, "got 1")
	wantError(t, do(t, "POST", url+"/query/add", `{"data":{"a":[1]}}`), 400, "missing argument b")
	wantError(t, do(t, "POST", url+"/query/add", `{"data":{"a":[1],"b":[2],"c":[3]}}`), 400, "unexpected argument(s) c")
}

func TestWrongTypes(t *testing.T) {
	_, url := newServer(t, nil)
	wantError(t, do(t, "POST", url+"/query/add", `{"data":[[1,"x"],[1,2]]}`), 400, `a[1] is a string ("x"); expected a number`)
	wantError(t, do(t, "POST", url+"/query/add", `{"data":[[1,[2]],[1,2]]}`), 400, "a[1] is an array")
	wantError(t, do(t, "POST", url+"/query/add", `{"data":[5,[1]]}`), 400, "a must be an array")
	wantError(t, do(t, "POST", url+"/query/upper", `{"data":[["a"],[1]]}`), 400, "expected true or false")
	wantError(t, do(t, "POST", url+"/query/add", `{"data":[[1e999],[1]]}`), 400, "a[0]")
}

func TestDifferentLengths(t *testing.T) {
	_, url := newServer(t, nil)
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('add', _arg1, _arg2)['response']","data":{"_arg1":[1,2,3],"_arg2":[1,2]}}`),
		400, "different lengths: _arg2 has 2 values but _arg1 has 3")
}

func TestResultLengthChecked(t *testing.T) {
	_, url := newServer(t, nil)
	wantError(t, do(t, "POST", url+"/query/wronglen", `{"data":[[1,2,3]]}`), 500, "returned 2 values for 3 rows")
	// One value for any number of rows is fine.
	if a := do(t, "POST", url+"/query/count", `{"data":[["a","b","c"]]}`); a.status != 200 {
		t.Errorf("%d %s", a.status, a.body)
	}
}

func TestFunctionError(t *testing.T) {
	_, url := newServer(t, nil)
	wantError(t, do(t, "POST", url+"/query/fails", `{"data":[[1]]}`), 500, "model not ready")
	a := do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('fails', _arg1)['response']","data":{"_arg1":[1]}}`)
	wantError(t, a, 500, "model not ready")
	if msg, _ := errorBody(t, a); msg != "Error processing script" {
		t.Errorf("message %q", msg)
	}
}

func TestOversizedBody(t *testing.T) {
	_, url := newServer(t, &analytics.Options{MaxRequestBytes: 1000})
	big := `{"data":[[` + strings.Repeat("1,", 600) + `1],[1]]}`
	wantError(t, do(t, "POST", url+"/query/add", big), 413, "exceeded limit of 1000")
	wantError(t, do(t, "POST", url+"/evaluate", big), 413, "Request Entity Too Large")

	// Without a Content-Length (chunked), the limit still holds.
	req, _ := http.NewRequest("POST", url+"/query/add", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("chunked: %d", resp.StatusCode)
	}

	// A small gzip body that inflates past the limit (a zip bomb) is refused too.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(`{"data":[[` + strings.Repeat("0,", 100000) + `0],[0]]}`))
	must(t, zw.Close())
	if buf.Len() > 1000 {
		t.Fatalf("compressed body is %d bytes", buf.Len())
	}
	wantError(t, do(t, "POST", url+"/query/add", buf.String(), "Content-Encoding", "gzip"), 413, "exceeded limit")

	// Within the limit it works.
	if a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`); a.status != 200 {
		t.Errorf("small body: %d %s", a.status, a.body)
	}
}

func TestPanicRecovered(t *testing.T) {
	_, url := newServer(t, nil)
	wantError(t, do(t, "POST", url+"/query/boom", `{"data":[[1]]}`), 500, `function "boom" panicked: cannot score 1`)
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('boom', _arg1)['response']","data":{"_arg1":[1]}}`), 500, "panicked")
	// The server keeps serving.
	if a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`); a.status != 200 {
		t.Errorf("after panic: %d %s", a.status, a.body)
	}
}

func TestTimeout(t *testing.T) {
	_, url := newServer(t, &analytics.Options{Timeout: 200 * time.Millisecond})
	start := time.Now()
	wantError(t, do(t, "POST", url+"/query/slow", `{"data":[[1]]}`), 408, "timed out. Timeout is set to 0.2 s")
	wantError(t, do(t, "POST", url+"/evaluate", `{"script":"return tabpy.query('slow', _arg1)['response']","data":{"_arg1":[1]}}`), 408, "timed out")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeouts took %v", d)
	}
	if a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`); a.status != 200 {
		t.Errorf("after timeout: %d %s", a.status, a.body)
	}
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func passwordFile(t *testing.T, users ...string) *analytics.Credentials {
	t.Helper()
	var b strings.Builder
	b.WriteString("# users\n\n")
	for i := 0; i+1 < len(users); i += 2 {
		h, err := analytics.HashPassword(users[i], users[i+1])
		must(t, err)
		fmt.Fprintf(&b, "%s %s\n", users[i], h)
	}
	c, err := analytics.ParsePasswordFile(strings.NewReader(b.String()))
	must(t, err)
	return c
}

func TestAuthentication(t *testing.T) {
	creds := passwordFile(t, "Alice", "s3cret-pw", "bob", "hunter2")
	_, url := newServer(t, &analytics.Options{Credentials: creds})
	for _, path := range []string{"/info", "/endpoints", "/status"} {
		a := do(t, "GET", url+path, "")
		wantError(t, a, 401, "Invalid credentials provided.")
		if a.header.Get("WWW-Authenticate") != `Basic realm="TabPy Server"` {
			t.Errorf("WWW-Authenticate %q", a.header.Get("WWW-Authenticate"))
		}
		if a := do(t, "GET", url+path, "", "Authorization", basic("alice", "s3cret-pw")); a.status != 200 {
			t.Errorf("%s with credentials: %d %s", path, a.status, a.body)
		}
	}
	for _, h := range []string{basic("alice", "wrong"), basic("carol", "s3cret-pw"), "Bearer xyz", "Basic !!!", basic("alice", "")} {
		a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`, "Authorization", h)
		wantError(t, a, 401, "Unauthorized request.")
		if strings.Contains(a.body, "s3cret") {
			t.Errorf("password echoed: %s", a.body)
		}
	}
	// Logins are case-insensitive, as in TabPy; repeated calls hit the cache.
	for range 3 {
		if a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`, "Authorization", basic("BOB", "hunter2")); a.status != 200 {
			t.Fatalf("bob: %d %s", a.status, a.body)
		}
	}
	a := do(t, "GET", url+"/info", "", "Authorization", basic("bob", "hunter2"))
	if !strings.Contains(a.body, `"authentication":{"methods":{"basic-auth":{}},"required":true}`) {
		t.Errorf("info: %s", a.body)
	}
	// Credentials sent to a server without authentication: 406.
	_, open := newServer(t, nil)
	wantError(t, do(t, "GET", open+"/info", "", "Authorization", basic("bob", "hunter2")), 406, "authentication not available")
}

func TestPasswordFileErrors(t *testing.T) {
	h, err := analytics.HashPassword("u", "p")
	must(t, err)
	for _, c := range []struct{ file, want string }{
		{"", "no users"},
		{"u " + h + " extra\n", "line 1: want \"login hash\" (2 fields), got 3"},
		{"u\n", "got 1"},
		{"u " + h + "\nU " + h + "\n", `line 2: login "u" appears more than once`},
		{"u xyz\n", "not hexadecimal"},
	} {
		_, err := analytics.ParsePasswordFile(strings.NewReader(c.file))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.file, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), h) {
			t.Errorf("hash in error: %v", err)
		}
	}
	if _, err := analytics.LoadPasswordFile(t.TempDir() + "/missing"); err == nil {
		t.Error("missing file accepted")
	}
}

// TestTimeoutIgnoredContext: a function that ignores its context still
// gets its 408 at the timeout, and the server keeps answering meanwhile.
func TestTimeoutIgnoredContext(t *testing.T) {
	s, url := newServer(t, &analytics.Options{Timeout: 100 * time.Millisecond})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	must(t, s.Register("stubborn", func(xs []float64) ([]float64, error) {
		<-release // ignores the context
		return xs, nil
	}, nil))
	start := time.Now()
	a := do(t, "POST", url+"/query/stubborn", `{"data":[[1]]}`)
	wantError(t, a, 408, "timed out. Timeout is set to 0.1 s")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the 408 took %v", d)
	}
	if a := do(t, "POST", url+"/query/add", `{"data":[[1],[1]]}`); a.status != 200 {
		t.Errorf("while the function runs on: %d %s", a.status, a.body)
	}
}
