package main

import (
	"encoding/csv"
	"html/template"
	"io"
	"strconv"
	"time"
)

// writeCSV writes one row per effective capability.
func writeCSV(w io.Writer, grants []grant) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"item_type", "item_id", "item", "project", "user", "capability", "mode", "source"}); err != nil {
		return err
	}
	for _, g := range grants {
		if err := cw.Write([]string{g.Kind, g.ItemID, csvSafe(g.Item), csvSafe(g.Project), csvSafe(g.User), g.Capability, g.Mode, csvSafe(g.Source)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a name as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}

var reportTmpl = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Permission audit: {{.Site}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4;position:sticky;top:0}
tr.Deny td.mode{color:#b00020;font-weight:600}tr.Allow td.mode{color:#1b5e20}
.summary td{border:none;padding:2px 12px 2px 0}
</style></head><body>
<h1>Permission audit of {{.Site}}</h1>
<p>Generated {{.When}}. Effective capabilities per user, including those that come through groups and locked project defaults. A user's own rule wins over its groups'; among groups, Deny wins.</p>
<table class="summary">
<tr><td>Projects</td><td>{{.Counts.project}}</td></tr>
<tr><td>Workbooks</td><td>{{.Counts.workbook}}</td></tr>
<tr><td>Views</td><td>{{.Counts.view}}</td></tr>
<tr><td>Data sources</td><td>{{.Counts.datasource}}</td></tr>
<tr><td>Users</td><td>{{.Users}}</td></tr>
<tr><td>Effective capabilities</td><td>{{len .Grants}} ({{.Denied}} denied)</td></tr>
</table>
<h2>Who can do what</h2>
<table><thead><tr><th>Type</th><th>Item</th><th>Project</th><th>User</th><th>Capability</th><th>Mode</th><th>Source</th></tr></thead><tbody>
{{range .Grants}}<tr class="{{.Mode}}"><td>{{.Kind}}</td><td>{{.Item}}</td><td>{{.Project}}</td><td>{{.User}}</td><td>{{.Capability}}</td><td class="mode">{{.Mode}}</td><td>{{.Source}}</td></tr>
{{end}}</tbody></table>
</body></html>
`))

// writeHTML writes a self-contained HTML report (no scripts, no external files).
func writeHTML(w io.Writer, siteName string, s *site, grants []grant) error {
	counts := map[string]string{"project": "0", "workbook": "0", "view": "0", "datasource": "0"}
	n := map[string]int{}
	for _, it := range s.Items {
		n[it.Kind]++
	}
	for k, v := range n {
		counts[k] = strconv.Itoa(v)
	}
	denied := 0
	for _, g := range grants {
		if g.Mode == "Deny" {
			denied++
		}
	}
	return reportTmpl.Execute(w, map[string]any{
		"Site": siteName, "When": time.Now().UTC().Format(time.RFC1123), "Counts": counts,
		"Users": len(s.Users), "Grants": grants, "Denied": denied,
	})
}
