package main

import (
	"bytes"
	"context"
	"net"
	"strings"
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
	var out bytes.Buffer
	if err := run(context.Background(), []string{"load", "-url", "http://" + addr, "-path", "query", "-rows", "10", "-c", "1", "-d", "200ms"}, &out); err != nil {
		t.Fatalf("query load: %v", err)
	}
	for _, bad := range [][]string{
		{"load", "-url", "http://example.com:80"},
		{"serve", "-addr", "0.0.0.0:1"},
		{"load", "-path", "nope", "-url", "http://" + addr},
		{"nope"},
	} {
		if err := run(context.Background(), bad, new(bytes.Buffer)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
