package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/internal/testenv"
)

const user, password = "tableau", "correct horse battery"

// start runs the example with the flags on a free loopback port and
// returns its base URL and everything it printed up to the calculated fields.
func start(t *testing.T, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-host", "127.0.0.1", "-port", "0"}, args...), pw)
		pw.CloseWithError(err)
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	sc := bufio.NewScanner(pr)
	var out strings.Builder
	url := ""
	for sc.Scan() {
		line := sc.Text()
		out.WriteString(line + "\n")
		if rest, ok := strings.CutPrefix(line, "listening on "); ok {
			url = rest
		}
		if strings.Contains(line, "describe") {
			break
		}
	}
	if url == "" {
		t.Fatalf("no listening line in %q (%v)", out.String(), sc.Err())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return url, out.String()
}

func writePasswordFile(t *testing.T) string {
	t.Helper()
	h, err := analytics.HashPassword(user, password)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "passwd.txt")
	if err := os.WriteFile(path, []byte("# TabPy users\n"+user+" "+h+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func post(t *testing.T, client *http.Client, url, body string, auth bool) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.SetBasicAuth(user, password)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestTableauRequests sends what Tableau sends (Analytics Extensions API
// reference): GET /info on "Test Connection", the int(1) probe, then
// /evaluate for each SCRIPT_ calculated field, with Basic credentials.
func TestTableauRequests(t *testing.T) {
	url, printed := start(t, "-password-file", writePasswordFile(t))
	for _, want := range []string{
		`SCRIPT_REAL("return tabpy.query('churn_risk', _arg1, _arg2, _arg3, _arg4)['response']", AVG([Tenure Months])`,
		`SCRIPT_REAL("return tabpy.query('sentiment', _arg1)['response']", ATTR([Review]))`,
		`SCRIPT_INT("return tabpy.query('kmeans', _arg1, _arg2, _arg3)['response']", 3, SUM([Sales]), SUM([Profit]))`,
		`return tabpy.query('describe', _arg1)['response']   (table extension script)`,
		"sign in with a username and password: true, require SSL: false",
	} {
		if !strings.Contains(printed, want) {
			t.Errorf("printed fields lack %s\n%s", want, printed)
		}
	}
	c := http.DefaultClient

	req, _ := http.NewRequest("GET", url+"/info", nil)
	req.SetBasicAuth(user, password)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	features := info["versions"].(map[string]any)["v1"].(map[string]any)["features"].(map[string]any)
	if auth, ok := features["authentication"].(map[string]any); !ok || auth["required"] != true {
		t.Errorf("info: %v", info)
	}

	if code, body := post(t, c, url+"/evaluate", `{"data": {}, "script": "return int(1)"}`, true); code != 200 || body != "1" {
		t.Errorf("probe: %d %s", code, body)
	}
	if code, _ := post(t, c, url+"/evaluate", `{"data": {}, "script": "return int(1)"}`, false); code != 401 {
		t.Errorf("probe without credentials: %d", code)
	}

	code, body := post(t, c, url+"/evaluate", `{"data": {"_arg1": [1, 60], "_arg2": [110.0, 25.0], "_arg3": [5, 0], "_arg4": [0, 1]},
		"script": "return tabpy.query('churn_risk', _arg1, _arg2, _arg3, _arg4)['response']"}`, true)
	var risk []float64
	if err := json.Unmarshal([]byte(body), &risk); code != 200 || err != nil || len(risk) != 2 {
		t.Fatalf("churn_risk: %d %s", code, body)
	}
	if !(risk[0] > 0.7 && risk[1] < 0.05) {
		t.Errorf("churn risk of a new, unhappy customer %v and a loyal one %v", risk[0], risk[1])
	}

	code, body = post(t, c, url+"/evaluate", `{"data": {"_arg1": ["Great product, I love it!", "Terrible support, very disappointed.", null]},
		"script": "return tabpy.query('sentiment', _arg1)['response']"}`, true)
	if code != 400 || !strings.Contains(body, "_arg1[2] is null") {
		t.Errorf("sentiment with null text: %d %s", code, body)
	}
	code, body = post(t, c, url+"/evaluate", `{"data": {"_arg1": ["Great product, I love it!", "Terrible support, very disappointed."]},
		"script": "return tabpy.query('sentiment', _arg1)['response']"}`, true)
	var sent []float64
	if err := json.Unmarshal([]byte(body), &sent); code != 200 || err != nil || sent[0] < 0.5 || sent[1] > -0.5 {
		t.Errorf("sentiment: %d %s", code, body)
	}

	code, body = post(t, c, url+"/evaluate", `{"data": {"_arg1": [3,3,3,3,3,3], "_arg2": [1,2,1,50,52,51], "_arg3": [1,1,2,40,41,40]},
		"script": "return tabpy.query('kmeans', _arg1, _arg2, _arg3)['response']"}`, true)
	if code != 200 {
		t.Errorf("kmeans: %d %s", code, body)
	}

	// A table extension: the input table arrives as _arg1 in object form.
	code, body = post(t, c, url+"/evaluate", `{"data": {"_arg1": {"Sales": [10, 20, 30], "Region": ["East", "West", "East"]}},
		"script": "return tabpy.query('describe', _arg1)['response']"}`, true)
	if code != 200 || body != `{"column":["Sales"],"count":[3],"mean":[20],"std":[10],"min":[10],"max":[30]}` {
		t.Errorf("describe: %d %s", code, body)
	}

	// A Python script, which TabPy would run, is refused with the supported forms.
	code, body = post(t, c, url+"/evaluate", `{"data": {"_arg1": [1]}, "script": "return [x * 2 for x in _arg1]"}`, true)
	if code != 400 || !strings.Contains(body, "tabpy.query") {
		t.Errorf("python script: %d %s", code, body)
	}
}

// TestTabPyClient lists and queries the server with TabPy's own Python
// client, and compares the churn model with scikit-learn's fit of the same CSV.
func TestTabPyClient(t *testing.T) {
	py := testenv.Python(t)
	// The password file is written by TabPy's own tabpy-user tool.
	pwd := filepath.Join(t.TempDir(), "passwd.txt")
	cmd := exec.Command(py, "-c", "import sys; from tabpy.utils.tabpy_user import main; sys.argv = sys.argv[1:]; sys.exit(main())",
		"tabpy-user", "add", "-u", user, "-p", password, "-f", pwd)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tabpy-user: %v\n%s", err, out)
	}
	url, _ := start(t, "-password-file", pwd)
	out, err := exec.Command(py, "testdata/client.py", url+"/", user, password, "churn.csv").Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("client.py: %v\n%s", err, stderr)
	}
	var got struct {
		Endpoints map[string]struct {
			Type      string `json:"type"`
			Version   int    `json:"version"`
			Docstring string `json:"docstring"`
		} `json:"endpoints"`
		Status           map[string]map[string]any `json:"status"`
		ChurnRisk        []float64                 `json:"churn_risk"`
		ChurnRiskKwargs  []float64                 `json:"churn_risk_kwargs"`
		SklearnChurnRisk []float64                 `json:"sklearn_churn_risk"`
		Sentiment        []float64                 `json:"sentiment"`
		TTest            []float64                 `json:"ttest"`
		KMeans           []int                     `json:"kmeans"`
		Describe         map[string]any            `json:"describe"`
		Unknown          string                    `json:"unknown"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, name := range []string{"churn_risk", "sentiment", "ttest", "anova", "kmeans", "linear_forecast", "describe"} {
		ep, ok := got.Endpoints[name]
		if !ok || ep.Type != "model" || ep.Version != 1 || ep.Docstring == "" {
			t.Errorf("endpoint %s: %+v (present %v)", name, ep, ok)
		}
		if got.Status[name]["status"] != "LoadSuccessful" {
			t.Errorf("status %s: %v", name, got.Status[name])
		}
	}
	if len(got.ChurnRisk) != 4 {
		t.Fatalf("churn_risk %v", got.ChurnRisk)
	}
	for i := range got.ChurnRisk {
		if math.Abs(got.ChurnRisk[i]-got.SklearnChurnRisk[i]) > 1e-4 || got.ChurnRisk[i] != got.ChurnRiskKwargs[i] {
			t.Errorf("churn risk %d: ours %v (kwargs %v), scikit-learn %v", i, got.ChurnRisk[i], got.ChurnRiskKwargs[i], got.SklearnChurnRisk[i])
		}
	}
	if len(got.Sentiment) != 3 || got.Sentiment[0] < 0.5 || got.Sentiment[1] > -0.3 || math.Abs(got.Sentiment[2]) > 0.05 {
		t.Errorf("sentiment %v", got.Sentiment)
	}
	// scipy.stats.ttest_ind(..., equal_var=False).pvalue = 2.746132954306342e-05
	if len(got.TTest) != 1 || math.Abs(got.TTest[0]-2.746132954306342e-05) > 1e-9 {
		t.Errorf("ttest %v", got.TTest)
	}
	if k := got.KMeans; len(k) != 6 || k[0] != k[1] || k[1] != k[2] || k[3] != k[4] || k[4] != k[5] || k[0] == k[3] {
		t.Errorf("kmeans %v", k)
	}
	if cols, _ := got.Describe["column"].([]any); len(cols) != 1 || cols[0] != "a" {
		t.Errorf("describe %v", got.Describe)
	}
	if !strings.Contains(got.Unknown, "404") {
		t.Errorf("unknown endpoint: %s", got.Unknown)
	}
}

func TestTLSFlags(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)

	url, _ := start(t, "-cert", certFile, "-key", keyFile)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("url %s", url)
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	code, body := post(t, c, url+"/evaluate", `{"data": {}, "script": "return int(1)"}`, false)
	if code != 200 || body != "1" {
		t.Errorf("probe over TLS: %d %s", code, body)
	}
	// Credentials sent to a server without a password file: 406, as TabPy.
	if code, _ := post(t, c, url+"/evaluate", `{"data": {}, "script": "return int(1)"}`, true); code != 406 {
		t.Errorf("credentials without auth: %d", code)
	}
}

func TestBadFlags(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-cert", "x.pem"}, "-cert and -key go together"},
		{[]string{"-password-file", "/nonexistent/passwd"}, "password file"},
		{[]string{"-model-csv", "/nonexistent/model.csv"}, "no such file"},
		{[]string{"-port", "-5"}, "invalid port"},
		{[]string{"-nope"}, "flag provided but not defined"},
	} {
		err := run(ctx, c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
	}
	// A password-protected server refuses a wrong password.
	url, _ := start(t, "-password-file", writePasswordFile(t))
	req, _ := http.NewRequest("GET", url+"/info", nil)
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":wrong")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
}
