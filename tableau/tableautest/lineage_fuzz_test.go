package tableautest

import (
	"context"
	"testing"
)

// FuzzLineage feeds published bytes to the parser and graph builder the
// Metadata API answers from: bad files are refused or yield a graph, never
// a panic or hang.
func FuzzLineage(f *testing.F) {
	f.Add(metadataOrdersTDS)
	f.Add(metadataSalesTWB)
	f.Add(SampleTWB("db.example.com", "A", "B"))
	f.Add(SampleTDS("db.example.com"))
	f.Add(SamplePackage("x.twb", metadataSalesTWB, nil))
	f.Add([]byte("<workbook><datasources><datasource name='x'><connection class='federated'><relation type='table' name='t' table='[a].[b]'/></connection></datasource></datasources></workbook>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseDoc(context.Background(), data)
		if err != nil {
			return
		}
		g := buildGraph([]mdItem{
			{kind: resDatasource, id: "d1", name: "D", contentURL: "Orders", owner: &lgUser{}, doc: doc},
			{kind: resWorkbook, id: "w1", name: "W", contentURL: "W", owner: &lgUser{}, doc: doc},
		})
		for _, f := range g.fields {
			fieldColumns(f)
			fieldSheets(f)
		}
	})
}
