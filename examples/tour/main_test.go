package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/tableau-go/sdk/internal/testenv"
)

// TestTourRuns runs the whole tour against the embedded emulator and a real
// hyperd, and checks that every package reported its step. It is also the
// test that a real .hyper file, written by hyperd, publishes to the
// emulator.
func TestTourRuns(t *testing.T) {
	testenv.Hyperd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, []string{"-rows", "5000"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		`(?m)^emulator:  http://127\.0\.0\.1:\d+, signed in$`,
		`(?m)^hyper:     inserted 5000 rows into sales\.hyper in .*; read back COUNT=5000 SUM\(amount\)=249750\.0$`,
		`(?m)^rest:      published datasource "Sales extract" \(id [0-9a-f-]{36}\)$`,
		`(?m)^rest:      refresh job [0-9a-f-]{36} finished: Success$`,
		`(?m)^document:  repointed 1 connection\(s\) of a workbook with 2 sheet\(s\) to prod-db\.example\.com$`,
		`(?m)^rest:      published workbook "Regional sales" \(id [0-9a-f-]{36}\)$`,
		`(?m)^webhooks:  received WorkbookCreated for "Regional sales"$`,
		`(?m)^metadata:  sales\.public\.orders\.amount is used by \d+ items downstream \(.*dashboard.*\)$`,
		`(?m)^analytics: SCRIPT_REAL\(.*\) -> \[0\.2 0\.1 0\.25\]$`,
		`(?m)^done:      signing out$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output does not match %s:\n%s", want, out.String())
		}
	}
}

func TestTourRejectsBadFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-rows", "0"}, &out); err == nil {
		t.Fatal("run accepted -rows 0")
	}
	if err := run(context.Background(), []string{"-nope"}, &out); err == nil {
		t.Fatal("run accepted an unknown flag")
	}
}
