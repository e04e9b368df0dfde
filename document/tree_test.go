package document

import (
	"strings"
	"testing"
)

func TestEditCorners(t *testing.T) {
	src := "<?xml version='1.0' encoding='utf-8' ?>\n" +
		"<workbook version='18.1'>\n" +
		"  <preferences />\n" +
		"  <datasources>\n" +
		"    <datasource caption='A' inline='true' name='a' version='18.1'>\n" +
		"      <connection class='postgres' dbname='d' server='s' />\n" +
		"    </datasource>\n" +
		"    <datasource inline='true' name='b' version='18.1' />\n" +
		"  </datasources>\n" +
		"</workbook>\n"
	w, err := openBytes(t, []byte(src)).Workbook()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddPalette("P", "", []string{"#102030"}); err != nil {
		t.Fatal(err)
	}
	a, _ := w.Datasource("a")
	b, _ := w.Datasource("b")
	if _, err := a.AddCalculatedField("One", "1", &CalculationOptions{Name: "[One]", Datatype: "integer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddCalculatedField("Two", "2", &CalculationOptions{Name: "[Two]", Datatype: "integer"}); err != nil {
		t.Fatal(err)
	}
	if err := a.RemoveField("[One]"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddCalculatedField("Three", "3", &CalculationOptions{Name: "[Three]", Datatype: "integer"}); err != nil {
		t.Fatal(err)
	}
	b.SetCaption("B")
	a.Connections()[0].SetServer("s2")
	want := "<?xml version='1.0' encoding='utf-8' ?>\n" +
		"<workbook version='18.1'>\n" +
		"  <preferences>\n" +
		"    <color-palette name='P' type='regular'>\n" +
		"      <color>#102030</color>\n" +
		"    </color-palette>\n" +
		"  </preferences>\n" +
		"  <datasources>\n" +
		"    <datasource caption='A' inline='true' name='a' version='18.1'>\n" +
		"      <connection class='postgres' dbname='d' server='s2' />\n" +
		"      <column caption='Two' datatype='integer' name='[Two]' role='measure' type='quantitative'>\n" +
		"        <calculation class='tableau' formula='2' />\n" +
		"      </column>\n" +
		"    </datasource>\n" +
		"    <datasource caption='B' inline='true' name='b' version='18.1'>\n" +
		"      <column caption='Three' datatype='integer' name='[Three]' role='measure' type='quantitative'>\n" +
		"        <calculation class='tableau' formula='3' />\n" +
		"      </column>\n" +
		"    </datasource>\n" +
		"  </datasources>\n" +
		"</workbook>\n"
	for range 2 { // saving twice gives the same result
		if got := string(saveBytes(t, w.Document)); got != want {
			t.Fatalf("got\n%s\nwant\n%s", got, want)
		}
	}
	// Removing an original element takes its line with it.
	w2, _ := openBytes(t, []byte(want)).Workbook()
	a2, _ := w2.Datasource("a")
	if err := a2.RemoveField("Two"); err != nil {
		t.Fatal(err)
	}
	got := string(saveBytes(t, w2.Document))
	if strings.Contains(got, "Two") || !strings.Contains(got, "server='s2' />\n    </datasource>") {
		t.Fatalf("after removal:\n%s", got)
	}
}

func TestXMLDiffDetectsDifferences(t *testing.T) {
	base := "<a x='1'><b>t</b><c/></a>"
	for _, other := range []string{"<a x='2'><b>t</b><c/></a>", "<a x='1' y='1'><b>t</b><c/></a>", "<a x='1'><b>u</b><c/></a>", "<a x='1'><b>t</b></a>", "<a x='1'><b>t</b><d/></a>"} {
		if xmlDiff([]byte(base), []byte(other)) == "" {
			t.Errorf("no difference found between %s and %s", base, other)
		}
	}
	if d := xmlDiff([]byte(base), []byte("<a x=\"1\">\n  <b>t</b>\n  <c></c>\n</a>")); d != "" {
		t.Errorf("equal documents differ: %s", d)
	}
}
