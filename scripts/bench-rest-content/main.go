// Command bench-rest-content serves a seeded emulator for the rest content
// benchmarks in its own process, so that the client's CPU time and memory
// are measured apart from the server's. It prints one line,
// "URL PAT_NAME PAT_SECRET", then serves until its standard input closes.
//
//	go run ./scripts/bench-rest-content -workbooks 20000 -latency 50ms
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tableau-go/sdk/tableau/tableautest"
)

func main() {
	workbooks := flag.Int("workbooks", 20000, "workbooks to seed (spread over 10 projects)")
	latency := flag.Duration("latency", 0, "latency added before every response")
	flag.Parse()
	if err := run(*workbooks, *latency); err != nil {
		fmt.Fprintln(os.Stderr, "bench-rest-content:", err)
		os.Exit(1)
	}
}

func run(workbooks int, latency time.Duration) error {
	srv, err := tableautest.NewServer(&tableautest.Options{Latency: latency})
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := srv.Seed(tableautest.SeedOptions{Projects: 10, Workbooks: workbooks, ViewsPerWorkbook: 1}); err != nil {
		return err
	}
	c := srv.Credentials()
	fmt.Printf("%s %s %s\n", srv.URL(), c.PATName, c.PATSecret)
	io.Copy(io.Discard, os.Stdin) //nolint:errcheck // serve until stdin closes
	return nil
}
