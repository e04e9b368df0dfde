package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// lineWriter hands each written line to a channel.
type lineWriter struct {
	lines chan string
	buf   strings.Builder
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	for {
		s := w.buf.String()
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.lines <- s[:i]
		w.buf.Reset()
		w.buf.WriteString(s[i+1:])
	}
}

var (
	urlRE = regexp.MustCompile(`^export TABLEAU_SERVER=(http://\S+)$`)
	patRE = regexp.MustCompile(`^personal token:\s+(\S+) / (\S+)$`)
)

func signIn(t *testing.T, url, name, secret, site string) int {
	t.Helper()
	body := fmt.Sprintf(`<tsRequest><credentials personalAccessTokenName=%q personalAccessTokenSecret=%q><site contentUrl=%q/></credentials></tsRequest>`, name, secret, site)
	resp, err := http.Post(url+"/api/3.24/auth/signin", "application/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &lineWriter{lines: make(chan string, 100)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-site", "Sales=sales", "-fire-schedules"}, w)
	}()

	var url, pat, secret, schedules string
	timeout := time.After(10 * time.Second)
	for url == "" {
		select {
		case line := <-w.lines:
			if m := patRE.FindStringSubmatch(line); m != nil {
				pat, secret = m[1], m[2]
			}
			if rest, ok := strings.CutPrefix(line, "schedules:"); ok {
				schedules = strings.TrimSpace(rest)
			}
			if m := urlRE.FindStringSubmatch(line); m != nil {
				url = m[1]
			}
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		case <-timeout:
			t.Fatal("no URL printed")
		}
	}
	if pat == "" {
		t.Fatal("no personal access token printed")
	}
	if !strings.HasPrefix(schedules, "fired by the clock") {
		t.Errorf("-fire-schedules: the banner says schedules are %q", schedules)
	}
	resp, err := http.Get(url + "/api/3.24/serverinfo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("serverinfo: %s", resp.Status)
	}
	if got := signIn(t, url, pat, secret, "sales"); got != http.StatusOK {
		t.Fatalf("sign-in with the printed token on the -site site: %d", got)
	}
	if got := signIn(t, url, pat, "wrong", ""); got != http.StatusUnauthorized {
		t.Fatalf("sign-in with a wrong secret: %d", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
	if _, err := http.Get(url + "/api/3.24/serverinfo"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-site", "nourl"},
		{"-api-version", "x"},
		{"-addr", "256.0.0.1:99999"},
		{"extra"},
		{"-site", "Default=x"},
	} {
		if err := run(context.Background(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestSignalStopsTheProcess runs main in a child process and stops it with
// SIGTERM, as an operator would.
func TestSignalStopsTheProcess(t *testing.T) {
	if os.Getenv("TABLEAU_EMULATOR_CHILD") == "1" {
		os.Args = []string{"tableau-emulator", "-addr", "127.0.0.1:0"}
		main()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSignalStopsTheProcess$")
	cmd.Env = append(os.Environ(), "TABLEAU_EMULATOR_CHILD=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var url string
	for sc.Scan() {
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		cmd.Process.Kill()
		t.Fatal("child printed no URL")
	}
	resp, err := http.Get(url + "/api/3.24/serverinfo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for sc.Scan() {
		rest.WriteString(sc.Text() + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("child exited with %v after SIGTERM", err)
	}
	if !strings.Contains(rest.String(), "shutting down") {
		t.Errorf("child output after SIGTERM: %q", rest.String())
	}
}
