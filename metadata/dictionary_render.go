package metadata

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// This file writes a [Dictionary] as Markdown, CSV and a self-contained
// HTML page with search.

// WriteMarkdown writes one section per datasource with a table of its fields.
func (d *Dictionary) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# Data dictionary\n")
	for _, ds := range d.Datasources {
		title := ds.Name
		if ds.Embedded {
			title = ds.Workbook + " / " + ds.Name + " (embedded)"
		}
		fmt.Fprintf(&b, "\n## %s\n\n", mdEscape(title))
		if ds.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", mdEscape(ds.Description))
		}
		cert := "no"
		if ds.Certified {
			cert = "yes"
			if ds.CertificationNote != "" {
				cert += " (" + ds.CertificationNote + ")"
			}
		}
		fmt.Fprintf(&b, "- Project: %s\n- Owner: %s\n- Certified: %s\n- Extracts: %t\n- Upstream tables: %s\n\n",
			mdEscape(ds.Project), mdEscape(ds.Owner), mdEscape(cert), ds.HasExtracts, mdEscape(orNone(strings.Join(ds.UpstreamTables, ", "))))
		b.WriteString("| Field | Type | Role | Kind | Description | Formula | Upstream tables |\n|---|---|---|---|---|---|---|\n")
		for _, f := range ds.Fields {
			desc := f.Description
			if f.DescriptionFrom != "" {
				desc += " (from " + f.DescriptionFrom + ")"
			}
			formula := ""
			if f.Formula != "" {
				formula = "`" + strings.ReplaceAll(oneLineRaw(f.Formula), "`", "'") + "`"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(f.Name), f.DataType, f.Role, f.Kind,
				mdEscape(desc), strings.ReplaceAll(formula, "|", `\|`), mdEscape(strings.Join(f.UpstreamTables, ", ")))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func oneLineRaw(s string) string { return strings.Join(strings.Fields(s), " ") }

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "'").Replace(s)
}

// dictionaryHeader are the CSV columns.
var dictionaryHeader = []string{"datasource", "embedded", "workbook", "project", "owner", "certified", "field", "kind",
	"data_type", "role", "description", "description_from", "formula", "hidden", "upstream_tables"}

// WriteCSV writes one row per field with its datasource's details.
func (d *Dictionary) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(dictionaryHeader); err != nil {
		return err
	}
	for _, ds := range d.Datasources {
		for _, f := range ds.Fields {
			row := []string{ds.Name, fmt.Sprint(ds.Embedded), ds.Workbook, ds.Project, ds.Owner, fmt.Sprint(ds.Certified),
				f.Name, f.Kind, f.DataType, f.Role, f.Description, f.DescriptionFrom, f.Formula, fmt.Sprint(f.Hidden),
				strings.Join(f.UpstreamTables, "; ")}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

var dictionaryHTML = template.Must(template.New("dictionary").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Data dictionary</title>
<style>
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em; color: #222; }
input#q { width: 100%; max-width: 40em; padding: .5em; font-size: 1em; margin-bottom: 1em; }
section { margin-bottom: 2em; }
h2 { margin-bottom: .2em; }
.meta { color: #555; font-size: .9em; margin-bottom: .6em; }
.cert { background: #d5f5e3; border-radius: 3px; padding: 0 .4em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f4f6f7; }
code { white-space: pre-wrap; }
.from { color: #777; font-style: italic; }
.hidden { display: none; }
</style>
</head>
<body>
<h1>Data dictionary</h1>
<input id="q" type="search" placeholder="Search datasources, fields, descriptions, formulas, tables…" autofocus>
<p id="count"></p>
{{range .Datasources}}
<section class="ds">
<h2>{{if .Embedded}}{{.Workbook}} / {{end}}{{.Name}}{{if .Embedded}} <small>(embedded)</small>{{end}}</h2>
<div class="meta">Project {{.Project}} · Owner {{.Owner}}{{if .Certified}} · <span class="cert">certified{{if .CertificationNote}}: {{.CertificationNote}}{{end}}</span>{{end}}{{if .HasExtracts}} · extract{{end}}
{{if .UpstreamTables}}<br>Upstream tables: {{range $i, $t := .UpstreamTables}}{{if $i}}, {{end}}{{$t}}{{end}}{{end}}</div>
{{if .Description}}<p>{{.Description}}</p>{{end}}
<table>
<thead><tr><th>Field</th><th>Type</th><th>Role</th><th>Kind</th><th>Description</th><th>Formula</th><th>Upstream tables</th></tr></thead>
<tbody>
{{range .Fields}}<tr class="field"><td>{{.Name}}</td><td>{{.DataType}}</td><td>{{.Role}}</td><td>{{.Kind}}</td><td>{{.Description}}{{if .DescriptionFrom}} <span class="from">(from {{.DescriptionFrom}})</span>{{end}}</td><td>{{if .Formula}}<code>{{.Formula}}</code>{{end}}</td><td>{{range $i, $t := .UpstreamTables}}{{if $i}}, {{end}}{{$t}}{{end}}</td></tr>
{{end}}</tbody>
</table>
</section>
{{end}}
<script>
(function () {
  var q = document.getElementById('q'), count = document.getElementById('count');
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.ds'));
  function run() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    sections.forEach(function (s) {
      var head = s.querySelector('h2').textContent + ' ' + s.querySelector('.meta').textContent;
      var rows = Array.prototype.slice.call(s.querySelectorAll('tr.field')), any = false;
      rows.forEach(function (r) {
        var text = (head + ' ' + r.textContent).toLowerCase();
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        r.classList.toggle('hidden', !hit);
        if (hit) { any = true; shown++; }
      });
      s.classList.toggle('hidden', !any && words.length > 0);
    });
    count.textContent = shown + ' field' + (shown === 1 ? '' : 's');
  }
  q.addEventListener('input', run);
  run();
})();
</script>
</body>
</html>
`))

// WriteHTML writes a self-contained HTML page (no external files or
// scripts) with the dictionary and a search box that filters fields as
// one types.
func (d *Dictionary) WriteHTML(w io.Writer) error {
	return dictionaryHTML.Execute(w, d)
}
