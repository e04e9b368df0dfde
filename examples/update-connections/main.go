// Command update-connections points the connections of workbooks and
// datasources at other servers and databases, for example from a test
// server to production, following a mapping file. It writes changed copies
// into an output folder (the originals are not touched) and prints each
// change.
//
//	update-connections -map mapping.json -out prod/ sales.twbx finance.twb orders.tds
//
// The mapping file is a JSON list of rules; the first rule whose "match"
// fits a connection (every attribute given must be equal) sets the
// attributes in "set":
//
//	[
//	  {"match": {"server": "test-db.example.com", "dbname": "sales_test"},
//	   "set":   {"server": "prod-db.example.com", "dbname": "sales", "port": "5432"}}
//	]
//
// Attributes: class, server, port, dbname, schema, username,
// authentication, initial_sql, query_band, service.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/tableau-go/sdk/document"
)

// Rule is one entry of the mapping file.
type Rule struct {
	Match map[string]string `json:"match"`
	Set   map[string]string `json:"set"`
}

var attrs = map[string]func(*document.Connection) string{
	"class":          (*document.Connection).Class,
	"server":         (*document.Connection).Server,
	"port":           (*document.Connection).Port,
	"dbname":         (*document.Connection).DBName,
	"schema":         (*document.Connection).Schema,
	"username":       (*document.Connection).Username,
	"authentication": (*document.Connection).Authentication,
	"initial_sql":    (*document.Connection).InitialSQL,
	"query_band":     (*document.Connection).QueryBand,
	"service":        (*document.Connection).Service,
}

func loadRules(path string) ([]Rule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rules []Rule
	if err := json.Unmarshal(b, &rules); err != nil {
		return nil, fmt.Errorf("mapping file %s: %w", path, err)
	}
	for i, r := range rules {
		if len(r.Match) == 0 || len(r.Set) == 0 {
			return nil, fmt.Errorf("mapping file %s: rule %d needs both match and set", path, i+1)
		}
		for k := range r.Match {
			if attrs[k] == nil {
				return nil, fmt.Errorf("mapping file %s: rule %d: unknown attribute %q", path, i+1, k)
			}
		}
		for k := range r.Set {
			if attrs[k] == nil {
				return nil, fmt.Errorf("mapping file %s: rule %d: unknown attribute %q", path, i+1, k)
			}
		}
	}
	return rules, nil
}

func (r Rule) matches(c *document.Connection) bool {
	for k, v := range r.Match {
		if attrs[k](c) != v {
			return false
		}
	}
	return true
}

func (r Rule) change() document.ConnectionChange {
	var ch document.ConnectionChange
	for k, v := range r.Set {
		v := v
		switch k {
		case "class":
			ch.Class = &v
		case "server":
			ch.Server = &v
		case "port":
			ch.Port = &v
		case "dbname":
			ch.DBName = &v
		case "schema":
			ch.Schema = &v
		case "username":
			ch.Username = &v
		case "authentication":
			ch.Authentication = &v
		case "initial_sql":
			ch.InitialSQL = &v
		case "query_band":
			ch.QueryBand = &v
		case "service":
			ch.Service = &v
		}
	}
	return ch
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "update-connections:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("update-connections", flag.ContinueOnError)
	mapping := fs.String("map", "", "mapping file (JSON rules)")
	out := fs.String("out", "", "folder for the changed copies")
	dryRun := fs.Bool("n", false, "print the changes without writing copies")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *mapping == "" || (*out == "" && !*dryRun) || fs.NArg() == 0 {
		return errors.New("usage: update-connections -map mapping.json -out DIR [-n] FILE [FILE ...]")
	}
	rules, err := loadRules(*mapping)
	if err != nil {
		return err
	}
	if !*dryRun {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
	}
	total := 0
	for _, path := range fs.Args() {
		n, err := updateFile(ctx, path, rules, *out, *dryRun, stdout)
		if err != nil {
			return err
		}
		total += n
	}
	fmt.Fprintf(stdout, "%d connection(s) changed in %d file(s)\n", total, fs.NArg())
	return nil
}

func updateFile(ctx context.Context, path string, rules []Rule, outDir string, dryRun bool, stdout io.Writer) (int, error) {
	d, err := document.Open(ctx, path, nil)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var dss []*document.Datasource
	switch d.Kind() {
	case document.KindWorkbook:
		w, _ := d.Workbook()
		dss = w.Datasources()
	default:
		ds, _ := d.Datasource()
		dss = []*document.Datasource{ds}
	}
	changed := 0
	for _, ds := range dss {
		label := ds.Caption()
		if label == "" {
			label = ds.Name()
		}
		for _, c := range ds.Connections() {
			for _, r := range rules {
				if !r.matches(c) {
					continue
				}
				before := map[string]string{}
				for k := range r.Set {
					before[k] = attrs[k](c)
				}
				if err := c.Apply(r.change()); err != nil {
					return 0, fmt.Errorf("%s: datasource %q: %w", path, label, err)
				}
				for _, k := range slices.Sorted(maps.Keys(r.Set)) {
					if after := attrs[k](c); after != before[k] {
						fmt.Fprintf(stdout, "%s: datasource %q connection %s: %s %q -> %q\n", filepath.Base(path), label, connLabel(c), k, before[k], after)
					}
				}
				changed++
				break
			}
		}
	}
	if changed == 0 {
		fmt.Fprintf(stdout, "%s: no connection matched\n", filepath.Base(path))
		return 0, nil
	}
	if dryRun {
		return changed, nil
	}
	dst := filepath.Join(outDir, filepath.Base(path))
	if err := d.SaveAs(ctx, dst); err != nil {
		return 0, err
	}
	fmt.Fprintf(stdout, "%s: wrote %s\n", filepath.Base(path), dst)
	return changed, nil
}

func connLabel(c *document.Connection) string {
	if c.Name() != "" {
		return c.Name()
	}
	return c.Class()
}
