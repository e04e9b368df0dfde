package analytics_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/internal/testenv"
)

// startTabPy runs a real TabPy with a password file on a free loopback
// port and returns its base URL.
func startTabPy(t *testing.T, pwdFile string) string {
	t.Helper()
	py := testenv.Python(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	conf := fmt.Sprintf(`[TabPy]
TABPY_PORT = %d
TABPY_STATE_PATH = %s
TABPY_QUERY_OBJECT_PATH = %s
TABPY_PWD_FILE = %s
TABPY_MAX_REQUEST_SIZE_MB = 1
TABPY_EVALUATE_TIMEOUT = 30

[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=f
[logger_root]
level=WARNING
handlers=h
[handler_h]
class=StreamHandler
level=WARNING
formatter=f
args=(sys.stderr,)
[formatter_f]
format=%%(message)s
`, port, filepath.Join(dir, "state"), filepath.Join(dir, "qo"), pwdFile)
	must(t, os.MkdirAll(filepath.Join(dir, "state"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "qo"), 0o755))
	confFile := filepath.Join(dir, "tabpy.conf")
	must(t, os.WriteFile(confFile, []byte(conf), 0o600))
	cmd := exec.Command(py, "testdata/tabpy_server.py", "--config", confFile)
	logFile, err := os.Create(filepath.Join(dir, "tabpy.log"))
	must(t, err)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	must(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logFile.Close()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(url + "/info")
		if err == nil {
			resp.Body.Close()
			return url
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "tabpy.log"))
			t.Fatalf("TabPy did not start: %v\n%s", err, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestSameAnswersAsTabPy sends the same requests to a real TabPy and to our
// server, both with a password file whose hash our HashPassword wrote, and
// compares status codes, error messages and results.
func TestSameAnswersAsTabPy(t *testing.T) {
	const user, pass = "tableau", "s3cret pass"
	hash, err := analytics.HashPassword(user, pass)
	must(t, err)
	pwdFile := filepath.Join(t.TempDir(), "passwd.txt")
	must(t, os.WriteFile(pwdFile, []byte(user+" "+hash+"\n"), 0o600))
	tabpy := startTabPy(t, pwdFile)
	creds, err := analytics.LoadPasswordFile(pwdFile)
	must(t, err)
	s, ours := newServer(t, &analytics.Options{Credentials: creds, MaxRequestBytes: 1 << 20})
	must(t, s.Register("scale_add", func(x, y []float64) ([]float64, error) {
		out := make([]float64, len(x))
		for i := range x {
			out[i] = 2*x[i] + y[i]
		}
		return out, nil
	}, nil))
	py := testenv.Python(t)
	if out, err := exec.Command(py, "testdata/tabpy_deploy.py", tabpy+"/", user, pass).CombinedOutput(); err != nil {
		t.Fatalf("deploying to TabPy: %v\n%s", err, out)
	}

	auth := basic(user, pass)
	big := `{"data": [[` + strings.Repeat("1,", 600000) + `1]]}`
	cases := []struct {
		name, method, path, body, auth string
		sameMessage                    bool
	}{
		{"no credentials", "GET", "/info", "", "", true},
		{"wrong password", "GET", "/info", "", basic(user, "wrong"), true},
		{"unknown user", "GET", "/endpoints", "", basic("nobody", pass), true},
		{"info", "GET", "/info", "", auth, false},
		{"unknown endpoint", "POST", "/query/nope", `{"data": [[1]]}`, auth, true},
		{"unknown endpoint info", "GET", "/endpoints/nope", "", auth, true},
		{"no script", "POST", "/evaluate", `{"data": {}}`, auth, true},
		{"bad data keys", "POST", "/evaluate", `{"script": "return int(1)", "data": {"x": [1]}}`, auth, true},
		{"data not a dict", "POST", "/evaluate", `{"script": "return int(1)", "data": [1]}`, auth, true},
		{"probe", "POST", "/evaluate", `{"script": "return int(1)", "data": {}}`, auth, false},
		{"query", "POST", "/query/scale_add", `{"data": [[1, 2.5, -3], [10, 20, 30]]}`, auth, false},
		{"evaluate", "POST", "/evaluate", `{"script": "return tabpy.query('scale_add', _arg1, _arg2)['response']", "data": {"_arg1": [1, 2.5, -3], "_arg2": [10, 20, 30]}}`, auth, false},
		{"query without data", "POST", "/query/scale_add", `{"x": 1}`, auth, false},
		{"too large", "POST", "/query/scale_add", big, auth, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hdr []string
			if c.auth != "" {
				hdr = []string{"Authorization", c.auth}
			}
			want := do(t, c.method, tabpy+c.path, c.body, hdr...)
			got := do(t, c.method, ours+c.path, c.body, hdr...)
			if got.status != want.status {
				t.Fatalf("status: ours %d (%s), TabPy %d (%.300s)", got.status, got.body, want.status, want.body)
			}
			if want.status >= 400 && c.sameMessage {
				wm, _ := errorBody(t, want)
				gm, _ := errorBody(t, got)
				if gm != wm {
					t.Errorf("message: ours %q, TabPy %q", gm, wm)
				}
			}
			if want.status == 200 && c.name != "info" {
				var w, g any
				_ = json.Unmarshal([]byte(want.body), &w)
				_ = json.Unmarshal([]byte(got.body), &g)
				if wm, ok := w.(map[string]any); ok { // /query: uuid differs
					delete(wm, "uuid")
					delete(g.(map[string]any), "uuid")
				}
				if fmt.Sprint(w) != fmt.Sprint(g) {
					t.Errorf("body: ours %s, TabPy %s", got.body, want.body)
				}
			}
			if c.name == "info" {
				var w, g map[string]any
				must(t, json.Unmarshal([]byte(want.body), &w))
				must(t, json.Unmarshal([]byte(got.body), &g))
				if keys(w) != keys(g) {
					t.Errorf("/info keys: ours %s, TabPy %s", keys(g), keys(w))
				}
				wf := w["versions"].(map[string]any)["v1"].(map[string]any)["features"].(map[string]any)
				gf := g["versions"].(map[string]any)["v1"].(map[string]any)["features"].(map[string]any)
				if fmt.Sprint(wf["authentication"]) != fmt.Sprint(gf["authentication"]) || keys(wf) != keys(gf) {
					t.Errorf("features: ours %v, TabPy %v", gf, wf)
				}
			}
		})
	}
}

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}
