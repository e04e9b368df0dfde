package tableautest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
)

// SampleTWB returns a small valid .twb workbook document with one
// PostgreSQL connection to server and one worksheet per sheet name
// (default: "Sheet 1"), for tests and examples that publish workbooks.
func SampleTWB(server string, sheets ...string) []byte {
	if len(sheets) == 0 {
		sheets = []string{"Sheet 1"}
	}
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='utf-8' ?>\n<workbook source-build='2024.2.0' version='18.1' xmlns:user='http://www.tableausoftware.com/xml/user'>\n")
	b.WriteString("  <datasources>\n    <datasource caption='Sales' inline='true' name='federated.sales' version='18.1'>\n")
	b.WriteString("      <connection class='federated'>\n        <named-connections>\n          <named-connection caption='" + xmlAttrEscape(server) + "' name='postgres.sales'>\n")
	fmt.Fprintf(&b, "            <connection class='postgres' dbname='sales' port='5432' server='%s' username='etl' />\n", xmlAttrEscape(server))
	b.WriteString("          </named-connection>\n        </named-connections>\n      </connection>\n    </datasource>\n  </datasources>\n  <worksheets>\n")
	for _, s := range sheets {
		fmt.Fprintf(&b, "    <worksheet name='%s'>\n      <table />\n    </worksheet>\n", xmlAttrEscape(s))
	}
	b.WriteString("  </worksheets>\n</workbook>\n")
	return []byte(b.String())
}

// SampleTDS returns a small valid .tds datasource document with one
// PostgreSQL connection to server and an extract.
func SampleTDS(server string) []byte {
	return []byte(fmt.Sprintf(`<?xml version='1.0' encoding='utf-8' ?>
<datasource formatted-name='Sales' inline='true' version='18.1'>
  <connection class='federated'>
    <named-connections>
      <named-connection caption='%[1]s' name='postgres.sales'>
        <connection class='postgres' dbname='sales' port='5432' server='%[1]s' username='etl' />
      </named-connection>
    </named-connections>
  </connection>
  <extract count='-1' enabled='true' units='records'>
    <connection class='hyper' dbname='Data/Extracts/sales.hyper' />
  </extract>
</datasource>
`, xmlAttrEscape(server)))
}

// SampleHyper returns n bytes (at least 16) that start with the Hyper file
// signature, which is all the emulator checks in a .hyper file.
func SampleHyper(n int) []byte {
	n = max(n, 16)
	b := make([]byte, n)
	copy(b, hyperMagic)
	for i := len(hyperMagic); i < n; i++ {
		b[i] = byte(i * 7)
	}
	return b
}

// SamplePackage zips a .twb or .tds document (docName, for example
// "Sales.twb") and, if extract is not nil, an extract at
// Data/Extracts/extract.hyper, into a .twbx or .tdsx package.
func SamplePackage(docName string, doc, extract []byte) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create(docName)
	w.Write(doc) //nolint:errcheck // bytes.Buffer never fails
	if extract != nil {
		w, _ = zw.CreateHeader(&zip.FileHeader{Name: "Data/Extracts/extract.hyper", Method: zip.Store})
		w.Write(extract) //nolint:errcheck
	}
	zw.Close() //nolint:errcheck
	return b.Bytes()
}
