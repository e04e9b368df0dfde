package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "lean.twb"), filepath.Join(dir, "out.twb")
	var out bytes.Buffer
	if err := run(ctx, []string{"gen", src, "lean"}, &out); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(src); err != nil || st.Size() < 20<<20 {
		t.Fatalf("generated workbook: %v %v", st, err)
	}
	if err := run(ctx, []string{"repoint", src, dst}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "420 connections repointed") {
		t.Fatalf("output %q", out.String())
	}
	if err := run(ctx, []string{"gen", src, "tall"}, &out); err == nil {
		t.Fatal("unknown shape accepted")
	}
	if err := run(ctx, nil, &out); err == nil {
		t.Fatal("no arguments accepted")
	}
}
