package analytics_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tableau-go/sdk/analytics"
)

func TestRegisterChecksSignature(t *testing.T) {
	s := analytics.New(nil)
	bad := map[string]any{
		"not a func":   42,
		"nil func":     (func([]float64) ([]float64, error))(nil),
		"map param":    func(map[string]int) ([]float64, error) { return nil, nil },
		"no error":     func([]float64) []float64 { return nil },
		"scalar res":   func([]float64) (float64, error) { return 0, nil },
		"variadic":     func(...[]float64) ([]float64, error) { return nil, nil },
		"float32 col":  func([]float32) ([]float64, error) { return nil, nil },
		"three return": func([]float64) ([]float64, []float64, error) { return nil, nil, nil },
	}
	for name, fn := range bad {
		err := s.Register("f", fn, nil)
		if !errors.Is(err, analytics.ErrInvalidFunction) {
			t.Errorf("%s: %v", name, err)
		}
	}
	ok := func(ctx context.Context, a []int64, b []int, c []string, d []bool, e []float64) ([]bool, error) {
		return d, nil
	}
	if err := s.Register("ok", ok, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Register("ok", ok, nil); !errors.Is(err, analytics.ErrDuplicateFunction) {
		t.Errorf("duplicate: %v", err)
	}
	if err := s.Register("bad/name", ok, nil); !errors.Is(err, analytics.ErrInvalidFunction) {
		t.Errorf("bad name: %v", err)
	}
	if err := s.Register("names", ok, &analytics.FunctionOptions{Params: []string{"a"}}); !errors.Is(err, analytics.ErrInvalidFunction) {
		t.Errorf("wrong param count: %v", err)
	}
	if err := s.RegisterTable("t", nil, nil); !errors.Is(err, analytics.ErrInvalidFunction) {
		t.Errorf("nil table func: %v", err)
	}
	if got := s.Functions(); len(got) != 1 || got[0] != "ok" {
		t.Errorf("functions %v", got)
	}
	if !s.Unregister("ok") || s.Unregister("ok") {
		t.Error("unregister")
	}
}

func TestIntegerArguments(t *testing.T) {
	s := analytics.New(nil)
	must(t, s.Register("sum", func(a []int64, b []int) ([]int64, error) {
		var t int64
		for i := range a {
			t += a[i] + int64(b[i])
		}
		return []int64{t}, nil
	}, nil))
	srv := httptestServer(t, s)
	if a := do(t, "POST", srv+"/query/sum", `{"data":[[1,2.0],[3,-4]]}`); !strings.Contains(a.body, `"response":[2]`) {
		t.Errorf("ints: %d %s", a.status, a.body)
	}
	wantError(t, do(t, "POST", srv+"/query/sum", `{"data":[[1.5],[3]]}`), 400, "_arg1[0] is a number (1.5); expected an integer")
}

func httptestServer(t *testing.T, s *analytics.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestGracefulShutdown(t *testing.T) {
	s := analytics.New(nil)
	started := make(chan struct{})
	must(t, s.Register("sleepy", func(xs []float64) ([]float64, error) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		return xs, nil
	}, nil))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	url := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()

	got := make(chan answer, 1)
	go func() { got <- do(t, "POST", url+"/query/sleepy", `{"data":[[7]]}`) }()
	<-started
	cancel() // shut down while the call is in flight
	a := <-got
	if a.status != 200 || !strings.Contains(a.body, `"response":[7]`) {
		t.Errorf("in-flight request: %d %s", a.status, a.body)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	if _, err := http.Get(url + "/info"); err == nil {
		t.Error("server still accepts connections after shutdown")
	}
}

// selfSigned writes a certificate and key for 127.0.0.1 and returns their
// paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "analytics test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	kder, err := x509.MarshalECPrivateKey(key)
	must(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	must(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	must(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600))
	cert, err := x509.ParseCertificate(der)
	must(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	s := analytics.New(nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.ServeTLS(ctx, ln, certFile, keyFile) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeTLS: %v", err)
		}
	}()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + ln.Addr().String() + "/info")
	must(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil || !strings.Contains(string(b), "evaluate_enabled") {
		t.Fatalf("TLS /info: %d %s", resp.StatusCode, b)
	}
	// Plain HTTP to the TLS port fails.
	if resp, err := http.Get("http://" + ln.Addr().String() + "/info"); err == nil && resp.StatusCode == 200 {
		t.Error("plain HTTP answered on the TLS port")
	}
	if err := s.ServeTLS(ctx, ln, filepath.Join(t.TempDir(), "none"), keyFile); err == nil {
		t.Error("missing certificate accepted")
	}
}

func TestCalculatedField(t *testing.T) {
	s := analytics.New(nil)
	must(t, s.Register("add", func(a, b []float64) ([]float64, error) { return a, nil }, nil))
	got, err := s.CalculatedField("add", "SUM([Sales])", "SUM([Profit])")
	must(t, err)
	want := `SCRIPT_REAL("return tabpy.query('add', _arg1, _arg2)['response']", SUM([Sales]), SUM([Profit]))`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if _, err := s.CalculatedField("add", "SUM([Sales])"); !errors.Is(err, analytics.ErrBadRequest) {
		t.Errorf("wrong field count: %v", err)
	}
	if _, err := s.CalculatedField("nope"); !errors.Is(err, analytics.ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
}

// TestLargeAnswersNotHeldBack checks that answers bigger than net/http's
// write buffer, which Serve writes with the socket corked (plain HTTP/1),
// arrive at once over HTTP/1.1, HTTPS and HTTP/2, and that small answers on the
// same connection after them do too: Linux holds corked data for 200 ms,
// so a connection left corked would make every request that slow.
func TestLargeAnswersNotHeldBack(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	s := analytics.New(nil)
	must(t, s.Register("scale_add", scaleAdd, nil))
	body, _ := benchBodies(1000)
	var x, y []float64
	{
		var in struct{ Data [2][]float64 }
		must(t, json.Unmarshal(body, &in))
		x, y = in.Data[0], in.Data[1]
	}
	for _, c := range []struct {
		name  string
		tls   bool
		http2 bool
	}{{"http", false, false}, {"https", true, false}, {"http2", true, true}} {
		t.Run(c.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			must(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			tr := &http.Transport{MaxConnsPerHost: 1}
			url := "http://" + ln.Addr().String()
			if c.tls {
				go func() { done <- s.ServeTLS(ctx, ln, certFile, keyFile) }()
				tr.TLSClientConfig = &tls.Config{RootCAs: pool}
				tr.ForceAttemptHTTP2 = c.http2
				url = "https://" + ln.Addr().String()
			} else {
				go func() { done <- s.Serve(ctx, ln) }()
			}
			defer func() {
				cancel()
				if err := <-done; err != nil {
					t.Errorf("serve: %v", err)
				}
			}()
			client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
			defer tr.CloseIdleConnections()
			var took []time.Duration
			for i := range 16 {
				start := time.Now()
				var resp *http.Response
				if i%4 == 3 { // a small answer after large ones
					resp, err = client.Get(url + "/info")
				} else {
					resp, err = client.Post(url+"/query/scale_add", "application/json", bytes.NewReader(body))
				}
				must(t, err)
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				took = append(took, time.Since(start))
				must(t, err)
				if resp.StatusCode != 200 || (c.http2 != (resp.ProtoMajor == 2)) {
					t.Fatalf("request %d: %s %d %.100s", i, resp.Proto, resp.StatusCode, b)
				}
				if i%4 == 3 {
					continue
				}
				var out struct{ Response []float64 }
				must(t, json.Unmarshal(b, &out))
				if len(out.Response) != len(x) {
					t.Fatalf("%d values, want %d", len(out.Response), len(x))
				}
				for j := range x {
					if out.Response[j] != 2*x[j]+y[j] {
						t.Fatalf("row %d: %v, want %v", j, out.Response[j], 2*x[j]+y[j])
					}
				}
			}
			took = took[1:] // the first request includes connecting
			slices.Sort(took)
			if median := took[len(took)/2]; median > 100*time.Millisecond {
				t.Errorf("median request took %v (all: %v): answers held back", median, took)
			}
		})
	}
}
