package rest

import (
	"encoding/xml"
	"reflect"
	"testing"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

const samplePage = `<?xml version='1.0' encoding='UTF-8'?>
<tsResponse xmlns="http://tableau.com/api" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://tableau.com/api https://help.tableau.com/samples/en-us/rest_api/ts-api_3_24.xsd">
  <pagination pageNumber="2" pageSize="2" totalAvailable="5"/>
  <!-- a comment -->
  <workbooks>
    <workbook id="a1" name="Sales &amp; Ops &#x263A; &lt;1&gt;" description='single "quoted"' contentUrl="Sales" webpageUrl="/#/workbooks/Sales" showTabs="true" size="12" createdAt="2016-08-04T21:31:56Z" updatedAt="2024-01-02T03:04:05+02:00" encryptExtracts="false" defaultViewId="v1">
      <project id="p1" name="Finance"/>
      <owner id="u1" name="admin"/>
      <tags><tag label="q4"/><tag label="finance"/></tags>
      <dataAccelerationConfig accelerationEnabled="false"><nested/></dataAccelerationConfig>
      <views><view id="v1" name="Overview" contentUrl="Sales/sheets/Overview"><usage totalViewCount="7"/></view></views>
    </workbook>
    <workbook id="a2" name="Empty" showTabs="false" size="0" createdAt="2016-08-04T21:31:56Z" updatedAt="2016-08-04T21:31:56Z">
      <project id="p1" name="Finance"/>
      <owner id="u1"/>
      <tags/>
    </workbook>
  </workbooks>
</tsResponse>
`

func decodeXML(t testing.TB, body []byte) (tableau.Page[Workbook], error) {
	t.Helper()
	return decodePageXML[Workbook](body, "workbooks", "workbook", "test")
}

func TestFastDecoderMatchesEncodingXML(t *testing.T) {
	fast, err := decodePage[Workbook]([]byte(samplePage), "workbooks", "workbook")
	if err != nil {
		t.Fatal(err)
	}
	slow, err := decodeXML(t, []byte(samplePage))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast:\n%+v\nencoding/xml:\n%+v", fast, slow)
	}
	wb := fast.Items[0]
	if wb.Name != "Sales & Ops ☺ <1>" || wb.Description != `single "quoted"` || !wb.ShowTabs || wb.Size != 12 ||
		wb.Project.Name != "Finance" || len(wb.Tags) != 2 || wb.Views[0].TotalViews() != 7 ||
		!wb.UpdatedAt.Equal(time.Date(2024, 1, 2, 1, 4, 5, 0, time.UTC)) || fast.Pagination.TotalAvailable != 5 {
		t.Fatalf("decoded %+v", fast)
	}
	if len(fast.Items) != 2 || len(fast.Items[1].Tags) != 0 {
		t.Fatalf("second item %+v", fast.Items[1])
	}
}

func TestFastDecoderGivesUpOnSurprises(t *testing.T) {
	for _, body := range []string{
		``,
		`<tsResponse>`,
		`<tsResponse><workbooks><project/></workbooks></tsResponse>`,
		`<tsResponse><workbooks><workbook showTabs="maybe"/></workbooks></tsResponse>`,
		`<tsResponse><workbooks><workbook size="12a"/></workbooks></tsResponse>`,
		`<tsResponse><workbooks><workbook name="a &bogus; b"/></workbooks></tsResponse>`,
		`<tsResponse><workbooks><workbook name=unquoted/></workbooks></tsResponse>`,
		`<tsResponse><workbooks><![CDATA[x]]></workbooks></tsResponse>`,
		`<tsResponse><workbooks><workbook createdAt="yesterday"/></workbooks></tsResponse>`,
	} {
		if _, err := decodePage[Workbook]([]byte(body), "workbooks", "workbook"); err == nil {
			t.Errorf("accepted %q", body)
		}
	}
}

// FuzzFastDecoder checks that whatever the fast decoder accepts, encoding/xml
// accepts too and decodes to the same values.
func FuzzFastDecoder(f *testing.F) {
	f.Add([]byte(samplePage))
	f.Add([]byte(`<tsResponse><pagination pageNumber="1" pageSize="100" totalAvailable="0"/><workbooks/></tsResponse>`))
	f.Add([]byte(`<tsResponse><workbooks><workbook id="x" name="&#65;&#x42;"><tags><tag label="a"/></tags></workbook></workbooks></tsResponse>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, err := decodePage[Workbook](body, "workbooks", "workbook")
		if err != nil {
			return
		}
		var probe struct{ XMLName xml.Name }
		if xml.Unmarshal(body, &probe) != nil {
			return // the fast decoder is laxer about well-formedness; both paths are then only as good as the server
		}
		slow, err := decodeXML(t, body)
		if err != nil {
			return
		}
		if len(fast.Items) != len(slow.Items) {
			t.Fatalf("fast decoded %d items, encoding/xml %d", len(fast.Items), len(slow.Items))
		}
		for i := range fast.Items {
			a, b := fast.Items[i], slow.Items[i]
			if a.ID != b.ID || a.Name != b.Name || a.Size != b.Size || a.ShowTabs != b.ShowTabs || !a.CreatedAt.Equal(b.CreatedAt) || len(a.Tags) != len(b.Tags) {
				t.Fatalf("item %d: fast %+v, encoding/xml %+v", i, a, b)
			}
		}
	})
}
