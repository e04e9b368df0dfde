package tableau

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// TestUploadRewindableBodyRetried sends a 4 MiB file body through a 503:
// every attempt carries the whole file.
func TestUploadRewindableBodyRetried(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	data := bytes.Repeat([]byte("0123456789abcdef"), 256<<10)
	file := filepath.Join(t.TempDir(), "upload.bin")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(data)
	var calls atomic.Int32
	var got [][32]byte
	f.mux.HandleFunc("PUT /api/{v}/upload", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got = append(got, sha256.Sum256(body))
		if r.Header.Get("Content-Type") != "application/octet-stream" || r.ContentLength != int64(len(data)) {
			t.Errorf("headers: %q %d", r.Header.Get("Content-Type"), r.ContentLength)
		}
		if calls.Add(1) == 1 {
			writeError(w, 503, "", "Service Unavailable", "")
			return
		}
		writeXML(w, 200, "")
	})
	req := &Request{Method: "PUT", Path: "upload", ContentType: "application/octet-stream", ContentLength: int64(len(data)),
		GetBody: func() (io.ReadCloser, error) { return os.Open(file) }}
	if err := s.Do(context.Background(), req, nil); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != want || got[1] != want {
		t.Fatalf("attempts = %d, bodies intact = %v", len(got), len(got) == 2 && got[0] == want && got[1] == want)
	}
}

// TestOneShotBodyNotRetried: a stream cannot be rewound, so a 503 is returned.
func TestOneShotBodyNotRetried(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	var calls atomic.Int32
	f.mux.HandleFunc("PUT /api/{v}/upload", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		writeError(w, 503, "", "Service Unavailable", "")
	})
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte("streamed"))
		pw.Close()
	}()
	_, err := s.Send(context.Background(), &Request{Method: "PUT", Path: "upload", Body: pr})
	if !errors.Is(err, ErrServer) || calls.Load() != 1 {
		t.Fatalf("err = %v, calls = %d", err, calls.Load())
	}
}

// TestDownloadStreams: Send hands back the body unread, for streaming.
func TestDownloadStreams(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	release := make(chan struct{})
	f.mux.HandleFunc("GET /api/{v}/download", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write([]byte("first chunk "))
		w.(http.Flusher).Flush()
		<-release // the client has the response before the body ends
		_, _ = w.Write([]byte("second chunk"))
	})
	resp, err := s.Send(context.Background(), &Request{Path: "download"})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 12)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first chunk " {
		t.Fatalf("%q %v", buf, err)
	}
	close(release)
	rest, _ := io.ReadAll(resp.Body)
	if string(rest) != "second chunk" {
		t.Fatalf("%q", rest)
	}
}

// TestRootPathAndHeaders: a path starting with "/" is not under /api/{v}/,
// and every request carries the User-Agent and the token.
func TestRootPathAndHeaders(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	var h http.Header
	f.mux.HandleFunc("POST /api/metadata/graphql", func(w http.ResponseWriter, r *http.Request) {
		h = r.Header.Clone()
		if !f.authorized(w, r) {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{}}`))
	})
	resp, err := s.Send(context.Background(), &Request{Method: "POST", Path: "/api/metadata/graphql", ContentType: "application/json",
		GetBody: BytesBody([]byte(`{"query":"{ workbooks { name } }"}`)), Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"data":{}}` || h.Get("User-Agent") != UserAgent || h.Get("X-Tableau-Auth") == "" || h.Get("Content-Type") != "application/json" {
		t.Fatalf("body %s headers %v", body, h)
	}
}
