package analytics_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tableau-go/sdk/analytics"
)

func scaleAdd(x, y []float64) ([]float64, error) {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = 2*x[i] + y[i]
	}
	return out, nil
}

func benchBodies(rows int) (query, evaluate []byte) {
	x, y := make([]float64, rows), make([]float64, rows)
	for i := range x {
		x[i] = float64(i*37%100000) / 100
		y[i] = float64(i*91%100000) / 100
	}
	query, _ = json.Marshal(map[string]any{"data": []any{x, y}})
	evaluate, _ = json.Marshal(map[string]any{
		"script": "return tabpy.query('scale_add', _arg1, _arg2)['response']",
		"data":   map[string]any{"_arg1": x, "_arg2": y},
	})
	return query, evaluate
}

// BenchmarkHandler measures the server's own work per request (no network):
// decoding two 1,000-value arguments, the call, and encoding the result.
func BenchmarkHandler(b *testing.B) {
	s := analytics.New(nil)
	if err := s.Register("scale_add", scaleAdd, nil); err != nil {
		b.Fatal(err)
	}
	query, evaluate := benchBodies(1000)
	for _, c := range []struct {
		name, path string
		body       []byte
	}{{"query", "/query/scale_add", query}, {"evaluate", "/evaluate", evaluate}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest("POST", c.path, bytes.NewReader(c.body)))
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkHTTP measures requests over loopback HTTP with keep-alive
// connections from parallel clients.
func BenchmarkHTTP(b *testing.B) {
	s := analytics.New(nil)
	if err := s.Register("scale_add", scaleAdd, nil); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	query, evaluate := benchBodies(1000)
	for _, c := range []struct {
		name, path string
		body       []byte
	}{{"query", "/query/scale_add", query}, {"evaluate", "/evaluate", evaluate}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := http.Post(ts.URL+c.path, "application/json", bytes.NewReader(c.body))
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
		})
	}
}
