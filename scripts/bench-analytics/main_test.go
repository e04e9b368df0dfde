package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeAndLoad runs the benchmark server and a short load against it,
// checking that the generator verifies answers and reports a rate.
func TestServeAndLoad(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr}, new(bytes.Buffer)) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	var lastErr error
	for range 50 { // wait for the listener
		var out bytes.Buffer
		lastErr = run(context.Background(), []string{"load", "-url", "http://" + addr, "-path", "evaluate", "-rows", "100", "-c", "2", "-d", "300ms", "-label", "t"}, &out)
		if lastErr == nil {
			if !strings.Contains(out.String(), "failures=0") || !strings.Contains(out.String(), "req/s=") {
				t.Fatalf("output %q", out.String())
			}
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatal(lastErr)
	}
	for _, client := range []string{"raw", "http"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"load", "-url", "http://" + addr, "-path", "query", "-rows", "10", "-c", "1", "-d", "200ms", "-client", client}, &out); err != nil {
			t.Fatalf("query load with -client %s: %v", client, err)
		}
		if !strings.Contains(out.String(), "failures=0") || !strings.Contains(out.String(), "client="+client) {
			t.Fatalf("-client %s: output %q", client, out.String())
		}
	}
	for _, bad := range [][]string{
		{"load", "-url", "http://example.com:80"},
		{"serve", "-addr", "0.0.0.0:1"},
		{"load", "-path", "nope", "-url", "http://" + addr},
		{"load", "-client", "nope", "-url", "http://" + addr},
		{"nope"},
	} {
		if err := run(context.Background(), bad, new(bytes.Buffer)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

// TestRawClient checks the raw client's reading of answers from a real
// net/http server: Content-Length, chunked, a closed connection after the
// answer, a body up to the end of the connection, and errors.
func TestRawClient(t *testing.T) {
	var closes atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil || string(b) != "ping" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", 400)
			return
		}
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "5")
			io.WriteString(w, "hello")
		case "/chunked":
			for i := range 3 {
				fmt.Fprintf(w, "part%d;", i)
				w.(http.Flusher).Flush()
			}
		case "/close":
			closes.Add(1)
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		case "/eof": // no Content-Length, not chunked: the body ends with the connection
			closes.Add(1)
			conn, bw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
			bw.Flush()
			conn.Close()
		default:
			http.Error(w, "no such path", 404)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, c := range []struct{ path, want, err string }{
		{"/length", "hello", ""},
		{"/chunked", "part0;part1;part2;", ""},
		{"/close", "bye", ""},
		{"/eof", "until the end", ""},
		{"/missing", "", "status 404: no such path"},
	} {
		rc := &rawClient{addr: host, req: rawRequest(host, c.path, "", []byte("ping")), deadline: time.Now().Add(time.Minute)}
		for i := range 3 { // the same client again: keep-alive, or a new connection after a close
			var got string
			err := rc.post(func(b []byte) error { got = string(b); return nil })
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%s: error %v, want %q", c.path, err, c.err)
				}
				continue
			}
			if err != nil || got != c.want {
				t.Errorf("%s, request %d: %q, %v; want %q", c.path, i, got, err, c.want)
			}
		}
		rc.close()
	}
	if n := closes.Load(); n != 6 {
		t.Errorf("%d requests answered on closing connections, want 6", n)
	}
	// A server that answers garbage.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				buf := make([]byte, 4096)
				conn.Read(buf)
				io.WriteString(conn, "SSH-2.0-OpenSSH\r\n\r\n")
			}()
		}
	}()
	rc := &rawClient{addr: ln.Addr().String(), req: rawRequest(ln.Addr().String(), "/", "", []byte("ping")), deadline: time.Now().Add(time.Minute)}
	if err := rc.post(func([]byte) error { return nil }); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("garbage answer: %v", err)
	}
}
