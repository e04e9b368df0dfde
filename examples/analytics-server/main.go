// Command analytics-server is an analytics extension for Tableau: a
// TabPy-compatible server with a churn-risk model, VADER sentiment and the
// statistics of package builtin. Point Tableau's analytics extension
// connection (Help > Settings and Performance > Manage Analytics Extension
// Connection > TabPy) at its host and port, then paste the calculated
// fields it prints.
//
//	go run ./examples/analytics-server -port 9004 -password-file passwd.txt -cert cert.pem -key key.pem
//
// The churn model is trained at start-up from a CSV (by default the
// synthetic churn.csv shipped beside this file: 1,000 made-up customers).
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/analytics/builtin"
)

//go:embed churn.csv
var churnCSV string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "analytics-server:", err)
		os.Exit(1)
	}
}

// run parses the flags, builds the server, prints the calculated fields
// and serves until ctx is done.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("analytics-server", flag.ContinueOnError)
	fs.SetOutput(stdout)
	host := fs.String("host", "", "interface to listen on (default: all)")
	port := fs.Int("port", 9004, "port to listen on (TabPy's default is 9004; 0 picks a free one)")
	pwdFile := fs.String("password-file", "", "TabPy password file (tabpy-user add ...); enables Basic authentication")
	cert := fs.String("cert", "", "TLS certificate (PEM); with -key serves HTTPS")
	key := fs.String("key", "", "TLS private key (PEM)")
	modelCSV := fs.String("model-csv", "", "CSV to train the churn model from (default: the bundled synthetic churn.csv)")
	timeout := fs.Duration("timeout", 30*time.Second, "per-call timeout (408 past it)")
	maxMB := fs.Int64("max-request-mb", 100, "request size limit in MiB (413 past it)")
	verbose := fs.Bool("v", false, "log failed requests to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*cert == "") != (*key == "") {
		return errors.New("-cert and -key go together")
	}

	opts := &analytics.Options{Timeout: *timeout, MaxRequestBytes: *maxMB << 20}
	if *verbose {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if *pwdFile != "" {
		creds, err := analytics.LoadPasswordFile(*pwdFile)
		if err != nil {
			return err
		}
		opts.Credentials = creds
	}
	s := analytics.New(opts)
	if err := builtin.Register(s); err != nil {
		return err
	}
	var model io.Reader = strings.NewReader(churnCSV)
	if *modelCSV != "" {
		f, err := os.Open(*modelCSV)
		if err != nil {
			return err
		}
		defer f.Close()
		model = f
	}
	churn, err := builtin.TrainLogistic(model, &builtin.LogisticOptions{
		Label:    "churned",
		Features: []string{"tenure_months", "monthly_charges", "support_calls", "yearly_contract"},
	})
	if err != nil {
		return fmt.Errorf("training the churn model: %w", err)
	}
	if err := builtin.RegisterModel(s, "churn_risk", churn); err != nil {
		return err
	}

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(*host, strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	scheme := "http"
	if *cert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, ln.Addr())
	fmt.Fprintf(stdout, "in Tableau: Help > Settings and Performance > Manage Analytics Extension Connection > TabPy,\n"+
		"  server: this machine's host name, port: %d, sign in with a username and password: %v, require SSL: %v\n",
		ln.Addr().(*net.TCPAddr).Port, *pwdFile != "", *cert != "")
	if err := printFields(stdout, s); err != nil {
		ln.Close()
		return err
	}
	if *cert != "" {
		return s.ServeTLS(ctx, ln, *cert, *key)
	}
	return s.Serve(ctx, ln)
}

// printFields prints a calculated field per function, with example fields
// from a customer data source.
func printFields(w io.Writer, s *analytics.Server) error {
	fields := []struct {
		name string
		args []string
	}{
		{"churn_risk", []string{"AVG([Tenure Months])", "AVG([Monthly Charges])", "SUM([Support Calls])", "MAX([Yearly Contract])"}},
		{"sentiment", []string{"ATTR([Review])"}},
		{"ttest", []string{"SUM([Before])", "SUM([After])"}},
		{"anova", []string{"SUM([Sales])", "ATTR([Region])"}},
		{"kmeans", []string{"3", "SUM([Sales])", "SUM([Profit])"}},
		{"linear_forecast", []string{"MIN([Period Number])", "SUM([Sales])"}},
		{"describe", nil},
	}
	fmt.Fprintln(w, "calculated fields to paste into Tableau:")
	for _, f := range fields {
		calc, err := s.CalculatedField(f.name, f.args...)
		if err != nil {
			return err
		}
		if f.args == nil {
			calc += "   (table extension script)"
		}
		fmt.Fprintf(w, "  %-16s %s\n", f.name, calc)
	}
	return nil
}
