// Command bench-analytics serves and load-tests analytics extensions for
// scripts/bench-analytics.sh, which compares tableau-go's analytics server
// with TabPy on the same machine, with the same load generator.
//
//	bench-analytics serve -addr 127.0.0.1:19005
//	bench-analytics load -url http://127.0.0.1:19005 -path query -rows 1000 -c 8 -d 10s
//
// serve runs an analytics server with the benchmark function scale_add
// (2*x + y per row, the same as the Python function deployed to TabPy).
// load sends POST /query/scale_add or POST /evaluate with a tabpy.query
// script, each with two 1,000-value arguments, from c keep-alive
// connections for a fixed duration, checks every answer, and prints one
// line of results.
//
// load has two HTTP clients, the same for every server: -client raw (the
// default) writes the pre-built request bytes to a TCP connection in one
// write and reads the answer by its Content-Length (or chunked), one
// goroutine per connection and no other; -client http is net/http's
// client, which hands every request and answer between goroutines of its
// own and costs about as much CPU per request as our server does at one
// connection.
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tableau-go/sdk/analytics"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench-analytics:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: bench-analytics serve|load [flags]")
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout)
	case "load":
		return load(ctx, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q (serve or load)", args[0])
}

// ScaleAdd is the benchmark function: 2*x + y per row.
func ScaleAdd(x, y []float64) ([]float64, error) {
	out := make([]float64, len(x))
	for i := range x {
		out[i] = 2*x[i] + y[i]
	}
	return out, nil
}

func serve(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:19005", "address to listen on (loopback only)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the server to this file")
	pwdFile := fs.String("password-file", "", "TabPy password file: require Basic authentication")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		return errors.New("-addr must be on 127.0.0.1")
	}
	var opts analytics.Options
	if *pwdFile != "" {
		creds, err := analytics.LoadPasswordFile(*pwdFile)
		if err != nil {
			return err
		}
		opts.Credentials = creds
	}
	s := analytics.New(&opts)
	if err := s.Register("scale_add", ScaleAdd, nil); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "serving on", *addr)
	return s.ListenAndServe(ctx, *addr, "", "")
}

func load(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:19005", "server base URL (loopback only)")
	path := fs.String("path", "query", "query (POST /query/scale_add) or evaluate (POST /evaluate with a tabpy.query script)")
	rows := fs.Int("rows", 1000, "values per argument")
	conns := fs.Int("c", 8, "concurrent keep-alive connections")
	dur := fs.Duration("d", 10*time.Second, "duration")
	label := fs.String("label", "", "label printed with the results")
	pid := fs.Int("pid", 0, "server process id: report its CPU time per request (from /proc)")
	user := fs.String("user", "", "Basic authentication user (the password comes from $BENCH_PASSWORD)")
	clientKind := fs.String("client", "raw", "HTTP client: raw (pre-built request bytes over net.Conn) or http (net/http)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !strings.HasPrefix(*url, "http://127.0.0.1:") {
		return errors.New("-url must be http://127.0.0.1:PORT")
	}
	if *dur > 5*time.Minute || *conns > 256 {
		return errors.New("keep -d ≤ 5m and -c ≤ 256")
	}
	rng := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float64, *rows), make([]float64, *rows)
	for i := range x {
		x[i] = float64(rng.IntN(100000)) / 100
		y[i] = float64(rng.IntN(100000)) / 100
	}
	want, _ := ScaleAdd(x, y)
	var body []byte
	var target, reqPath string
	switch *path {
	case "query":
		reqPath = "/query/scale_add"
		target = *url + reqPath
		body, _ = json.Marshal(map[string]any{"data": []any{x, y}})
	case "evaluate":
		reqPath = "/evaluate"
		target = *url + reqPath
		body, _ = json.Marshal(map[string]any{
			"script": "return tabpy.query('scale_add', _arg1, _arg2)['response']",
			"data":   map[string]any{"_arg1": x, "_arg2": y},
		})
	default:
		return fmt.Errorf("-path %q: query or evaluate", *path)
	}
	check := func(b []byte) error {
		var got []float64
		if *path == "query" {
			var r struct {
				Response []float64 `json:"response"`
			}
			if err := json.Unmarshal(b, &r); err != nil {
				return err
			}
			got = r.Response
		} else if err := json.Unmarshal(b, &got); err != nil {
			return err
		}
		if len(got) != len(want) {
			return fmt.Errorf("%d values, want %d", len(got), len(want))
		}
		for i := range got {
			if d := got[i] - want[i]; d > 1e-9 || d < -1e-9 {
				return fmt.Errorf("row %d: %v, want %v", i, got[i], want[i])
			}
		}
		return nil
	}

	var auth string
	if *user != "" {
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(*user+":"+os.Getenv("BENCH_PASSWORD")))
	}
	// newPoster returns the function one connection's goroutine calls for
	// each request: it sends the request and checks the answer.
	var newPoster func() (post func(check func([]byte) error) error, closeConn func())
	switch *clientKind {
	case "http":
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns}, Timeout: time.Minute}
		newPoster = func() (func(func([]byte) error) error, func()) {
			return func(check func([]byte) error) error {
				return postAuth(client, target, auth, body, check)
			}, func() {}
		}
	case "raw":
		host := strings.TrimPrefix(*url, "http://")
		req := rawRequest(host, reqPath, auth, body)
		deadline := time.Now().Add(*dur + time.Minute)
		newPoster = func() (func(func([]byte) error) error, func()) {
			c := &rawClient{addr: host, req: req, deadline: deadline}
			return c.post, c.close
		}
	default:
		return fmt.Errorf("-client %q: raw or http", *clientKind)
	}
	// Warm up with one fully parsed and checked answer. Later answers are
	// compared byte for byte with it (the uuid of /query masked), and fully
	// parsed again only when they differ, so that the generator spends
	// little CPU while still checking every answer.
	var reference []byte
	warm, closeWarm := newPoster()
	err := warm(func(b []byte) error {
		reference = bytes.Clone(maskUUID(b))
		return check(b)
	})
	closeWarm()
	if err != nil {
		return fmt.Errorf("warm-up request: %w", err)
	}
	fullCheck := check
	check = func(b []byte) error {
		if bytes.Equal(maskUUID(b), reference) {
			return nil
		}
		return fullCheck(b)
	}
	ctx, cancel := context.WithTimeout(ctx, *dur)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  int
		firstErr  error
		wg        sync.WaitGroup
	)
	cpu0, err := cpuTime(*pid)
	if err != nil {
		return err
	}
	self0 := selfCPUTime()
	start := time.Now()
	for range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			fails := 0
			var ferr error
			post, closeConn := newPoster()
			defer closeConn()
			for ctx.Err() == nil {
				t0 := time.Now()
				// Every answer is checked for correctness, not only its status.
				if err := post(check); err != nil {
					if ctx.Err() != nil {
						break
					}
					fails++
					if ferr == nil {
						ferr = err
					}
					continue
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, local...)
			failures += fails
			if firstErr == nil {
				firstErr = ferr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	self1 := selfCPUTime()
	cpu1, err := cpuTime(*pid)
	if err != nil {
		return err
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(p*float64(len(latencies)-1))]
	}
	cpuPerReq := "n/a"
	if *pid > 0 && len(latencies) > 0 {
		// The warm-up request is outside the window; the measured ones are inside.
		cpuPerReq = fmt.Sprintf("%.3fms", (cpu1-cpu0).Seconds()*1000/float64(len(latencies)))
	}
	loadCPUPerReq := "n/a"
	if len(latencies) > 0 {
		loadCPUPerReq = fmt.Sprintf("%.3fms", (self1-self0).Seconds()*1000/float64(len(latencies)))
	}
	fmt.Fprintf(stdout, "%-10s %-8s rows=%d c=%d requests=%d failures=%d seconds=%.3f req/s=%.1f p50=%v p99=%v server_cpu_ms=%d server_cpu/req=%s load_cpu_ms=%d load_cpu/req=%s client=%s body=%dB\n",
		*label, *path, *rows, *conns, len(latencies), failures, elapsed.Seconds(), float64(len(latencies))/elapsed.Seconds(),
		pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), (cpu1 - cpu0).Milliseconds(), cpuPerReq,
		(self1 - self0).Milliseconds(), loadCPUPerReq, *clientKind, len(body))
	if failures > 0 {
		return fmt.Errorf("%d failed requests, first: %v", failures, firstErr)
	}
	return nil
}

// cpuTime returns the user+system CPU time of the process (0 without a pid).
func cpuTime(pid int) (time.Duration, error) {
	if pid <= 0 {
		return 0, nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the parenthesised command name; utime and stime are the
	// 14th and 15th fields of the line, in clock ticks (100 per second on Linux).
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		var n int64
		if _, err := fmt.Sscan(f, &n); err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}

// maskUUID blanks the value of a "uuid" key, which differs per answer.
func maskUUID(b []byte) []byte {
	i := bytes.Index(b, []byte(`"uuid"`))
	if i < 0 {
		return b
	}
	j := bytes.IndexByte(b[i+6:], '"')
	if j < 0 || i+6+j+37 > len(b) {
		return b
	}
	start := i + 6 + j + 1
	for k := start; k < start+36; k++ {
		b[k] = 'x'
	}
	return b
}

func postAuth(client *http.Client, url, auth string, body []byte, check func([]byte) error) error {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
	}
	return check(b)
}
