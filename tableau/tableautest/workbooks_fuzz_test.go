package tableautest

import (
	"testing"
)

// FuzzInspect feeds published-file bytes of every type to the file checks:
// they must answer an error or file facts, never panic or hang.
func FuzzInspect(f *testing.F) {
	f.Add("twb", SampleTWB("db.example.com", "A", "B"))
	f.Add("tds", SampleTDS("db.example.com"))
	f.Add("twbx", SamplePackage("x.twb", SampleTWB("db"), SampleHyper(64)))
	f.Add("tdsx", SamplePackage("x.tds", SampleTDS("db"), nil))
	f.Add("hyper", SampleHyper(32))
	f.Add("twb", []byte("<workbook><worksheets><worksheet name='a'/></worksheets></workbook><x/>"))
	f.Fuzz(func(t *testing.T, fileType string, data []byte) {
		b := &blob{}
		b.Write(data) //nolint:errcheck
		info, err := inspect(fileType, b)
		if err == nil && len(data) == 0 {
			t.Fatal("an empty file passed")
		}
		for _, sh := range info.sheets {
			_ = urlName(sh.name)
		}
		if err == nil && (fileType == "twbx" || fileType == "tdsx") {
			var out blob
			if err := stripExtracts(&out, b); err != nil {
				t.Fatalf("a package that passed inspect cannot be stripped: %v", err)
			}
		}
	})
}

// FuzzCheckActions feeds update-data documents to their validation.
func FuzzCheckActions(f *testing.F) {
	f.Add([]byte(`{"actions":[{"action":"insert","target-table":"t","source-table":"s"}]}`))
	f.Add([]byte(`{"actions":[{"action":"delete","target-table":"t","condition":{"op":"eq","target-col":"id","const":{"type":"integer","v":1}}}]}`))
	f.Add([]byte(`{"actions":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		needsFile, err := checkActions(body)
		if err != nil && needsFile {
			t.Fatal("an invalid document reported that it needs a file")
		}
	})
}
