package analytics_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tableau-go/sdk/analytics"
)

// A Go function answers Tableau's SCRIPT_REAL calls.
func ExampleServer_Register() {
	s := analytics.New(nil)
	err := s.Register("margin", func(sales, profit []float64) ([]float64, error) {
		out := make([]float64, len(sales))
		for i := range sales {
			out[i] = profit[i] / sales[i]
		}
		return out, nil
	}, &analytics.FunctionOptions{Params: []string{"sales", "profit"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(s)
	defer ts.Close()

	// What Tableau sends for
	// SCRIPT_REAL("return tabpy.query('margin', _arg1, _arg2)['response']", SUM([Sales]), SUM([Profit]))
	body := `{"script": "return tabpy.query('margin', _arg1, _arg2)['response']",
	          "data": {"_arg1": [100, 200, null], "_arg2": [25, 50, 10]}}`
	resp, err := http.Post(ts.URL+"/evaluate", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(out))
	// Output: 200 [0.25,0.25,null]
}

// The calculated field to paste into Tableau.
func ExampleServer_CalculatedField() {
	s := analytics.New(nil)
	_ = s.Register("margin", func(sales, profit []float64) ([]float64, error) { return sales, nil }, nil)
	field, _ := s.CalculatedField("margin", "SUM([Sales])", "SUM([Profit])")
	fmt.Println(field)
	// Output: SCRIPT_REAL("return tabpy.query('margin', _arg1, _arg2)['response']", SUM([Sales]), SUM([Profit]))
}

// A table extension gets the input table as columns and returns a table.
func ExampleServer_RegisterTable() {
	s := analytics.New(nil)
	_ = s.RegisterTable("top", func(ctx context.Context, in analytics.Table) (analytics.Table, error) {
		names, err := in.Strings("name")
		if err != nil {
			return analytics.Table{}, err
		}
		return analytics.NewTable(analytics.Column{Name: "first", Values: names[:1]}), nil
	}, nil)
	ts := httptest.NewServer(s)
	defer ts.Close()
	body := `{"script": "return tabpy.query('top', _arg1)['response']", "data": {"_arg1": {"name": ["ann", "bob"]}}}`
	resp, err := http.Post(ts.URL+"/evaluate", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(string(out))
	// Output: {"first":["ann"]}
}

// Anything but the supported script forms is refused with a 400 that
// names them: the server never runs code from a request.
func ExampleServer_ServeHTTP_unsupportedScript() {
	s := analytics.New(nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/evaluate", strings.NewReader(`{"script": "import os\nreturn 1", "data": {}}`))
	s.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), "return tabpy.query('<function>', _arg1, _arg2, ...)['response']"))
	// Output: 400 true
}

// Basic authentication with a password file in TabPy's format.
func ExampleParsePasswordFile() {
	hash, _ := analytics.HashPassword("tableau", "secret")
	creds, err := analytics.ParsePasswordFile(strings.NewReader("# login hash\ntableau " + hash + "\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds.Verify("Tableau", "secret"), creds.Verify("tableau", "wrong"))
	_ = analytics.New(&analytics.Options{Credentials: creds})
	// Output: true false
}

// Serve until the context is cancelled, then shut down gracefully.
func ExampleServer_ListenAndServe() {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // in a program: signal.NotifyContext(ctx, os.Interrupt)
	s := analytics.New(nil)
	err := s.ListenAndServe(ctx, "127.0.0.1:0", "", "")
	fmt.Println(err)
	// Output: <nil>
}
