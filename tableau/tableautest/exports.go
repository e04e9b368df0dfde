package tableautest

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"html"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The export payloads of views and workbooks: PNG images, PDF documents,
// CSV data, crosstab XLSX and PowerPoint. Every view has the same small
// made-up data set (Region, Category, Sales, Profit) derived from its id,
// so filters (vf_Region=West) change what comes back.

var (
	exportRegions    = []string{"Central", "East", "South", "West"}
	exportCategories = []string{"Furniture", "Office Supplies", "Technology"}
	exportColumns    = []string{"Region", "Category", "Sales", "Profit"}
)

// dataRow is one row of a view's data.
type dataRow struct {
	Region, Category string
	Sales, Profit    int
}

func (r dataRow) strings() []string {
	return []string{r.Region, r.Category, strconv.Itoa(r.Sales), strconv.Itoa(r.Profit)}
}

// viewFilters reads the vf_<field>=v1,v2 parameters of a request.
func viewFilters(q url.Values) map[string][]string {
	f := map[string][]string{}
	for k, vs := range q {
		if name, ok := strings.CutPrefix(k, "vf_"); ok && name != "" {
			for _, v := range vs {
				f[strings.ToLower(name)] = append(f[strings.ToLower(name)], strings.Split(v, ",")...)
			}
		}
	}
	return f
}

// viewRows returns a view's data with its filters applied; filters on
// fields the data does not have are ignored, as Tableau does.
func viewRows(viewID string, filters map[string][]string) []dataRow {
	var rows []dataRow
	for _, reg := range exportRegions {
		for _, cat := range exportCategories {
			h := fnv.New32a()
			h.Write([]byte(viewID + "|" + reg + "|" + cat))
			x := h.Sum32()
			r := dataRow{Region: reg, Category: cat, Sales: int(x%90000) + 1000, Profit: int(x>>16%20000) - 5000}
			if keep(filters["region"], r.Region) && keep(filters["category"], r.Category) {
				rows = append(rows, r)
			}
		}
	}
	return rows
}

func keep(allowed []string, v string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(a), v) {
			return true
		}
	}
	return false
}

// renderCSV returns the rows as CSV with a header.
func renderCSV(rows []dataRow) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(exportColumns) //nolint:errcheck // bytes.Buffer never fails
	for _, r := range rows {
		w.Write(r.strings()) //nolint:errcheck
	}
	w.Flush()
	return b.Bytes()
}

// renderPNG draws the rows as a bar chart of Sales.
func renderPNG(rows []dataRow, width, height int) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	palette := []color.RGBA{{0x4e, 0x79, 0xa7, 0xff}, {0xf2, 0x8e, 0x2b, 0xff}, {0xe1, 0x57, 0x59, 0xff}, {0x76, 0xb7, 0xb2, 0xff}}
	maxSales := 1
	for _, r := range rows {
		maxSales = max(maxSales, r.Sales)
	}
	if n := len(rows); n > 0 {
		slot := width / n
		for i, r := range rows {
			h := (height - 20) * r.Sales / maxSales
			c := palette[i%len(palette)]
			for x := i*slot + slot/6; x < (i+1)*slot-slot/6; x++ {
				for y := height - 10 - h; y < height-10; y++ {
					img.SetRGBA(x, y, c)
				}
			}
		}
	}
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// renderSVG draws the same bar chart as renderPNG as an SVG document,
// labelled with lang (xml:lang) when one is given.
func renderSVG(rows []dataRow, width, height int, lang string) []byte {
	var b bytes.Buffer
	langAttr := ""
	if lang != "" {
		langAttr = ` xml:lang="` + html.EscapeString(lang) + `"`
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<svg xmlns="http://www.w3.org/2000/svg"%s width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", langAttr, width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#ffffff"/>`+"\n", width, height)
	palette := []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2"}
	maxSales := 1
	for _, r := range rows {
		maxSales = max(maxSales, r.Sales)
	}
	if n := len(rows); n > 0 {
		slot := width / n
		for i, r := range rows {
			h := (height - 20) * r.Sales / maxSales
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s, %s: %d</title></rect>`+"\n",
				i*slot+slot/6, height-10-h, slot-2*(slot/6), h, palette[i%len(palette)], html.EscapeString(r.Region), html.EscapeString(r.Category), r.Sales)
		}
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// pageSizes are the PDF page types of the REST API, in points (portrait).
var pageSizes = map[string][2]int{
	"a3": {842, 1191}, "a4": {595, 842}, "a5": {420, 595}, "b4": {729, 1032}, "b5": {516, 729},
	"executive": {522, 756}, "folio": {612, 936}, "ledger": {1224, 792}, "legal": {612, 1008},
	"letter": {612, 792}, "note": {540, 720}, "quarto": {610, 780}, "tabloid": {792, 1224},
}

// pdfPage is one page of an exported PDF.
type pdfPage struct {
	title string
	rows  []dataRow
}

// renderPDF writes a valid PDF with one page per entry: a title and the
// data as lines of text; lang, when given, is the document's /Lang.
func renderPDF(pageType, orientation, lang string, pages []pdfPage) ([]byte, error) {
	if pageType == "" {
		pageType = "legal"
	}
	size, ok := pageSizes[strings.ToLower(pageType)]
	if !ok {
		return nil, detailf("The PDF page type '%s' is not one of A3, A4, A5, B4, B5, Executive, Folio, Ledger, Legal, Letter, Note, Quarto, Tabloid.", pageType)
	}
	switch strings.ToLower(orientation) {
	case "", "portrait":
	case "landscape":
		size[0], size[1] = size[1], size[0]
	default:
		return nil, detailf("The PDF orientation '%s' is not Portrait or Landscape.", orientation)
	}
	var objs []string
	// 1: catalog, 2: pages, 3: font, then per page: page object, content stream.
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	objs = append(objs,
		"<< /Type /Catalog /Pages 2 0 R"+pdfLang(lang)+" >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i, p := range pages {
		var content strings.Builder
		fmt.Fprintf(&content, "BT /F1 16 Tf 40 %d Td (%s) Tj ET\n", size[1]-50, pdfEscape(p.title))
		y := size[1] - 80
		lines := [][]string{exportColumns}
		for _, r := range p.rows {
			lines = append(lines, r.strings())
		}
		for _, l := range lines {
			if y < 40 {
				break
			}
			fmt.Fprintf(&content, "BT /F1 10 Tf 40 %d Td (%s) Tj ET\n", y, pdfEscape(strings.Join(l, "    ")))
			y -= 14
		}
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", size[0], size[1], 5+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes(), nil
}

// pdfLang is the catalog's /Lang entry for lang, or "" for none.
func pdfLang(lang string) string {
	if lang == "" {
		return ""
	}
	return " /Lang (" + pdfEscape(lang) + ")"
}

func pdfEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	var out strings.Builder
	for _, c := range r.Replace(s) {
		if c < 32 || c > 126 {
			c = '?'
		}
		out.WriteRune(c)
	}
	return out.String()
}

// renderXLSX writes the rows as a crosstab workbook with one sheet; lang,
// when given, is the workbook's language property.
func renderXLSX(sheet, lang string, rows []dataRow) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if lang != "" {
		if err := f.SetDocProps(&excelize.DocProperties{Language: lang}); err != nil {
			return nil, err
		}
	}
	name := sheetName(sheet)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	head := make([]any, len(exportColumns))
	for i, c := range exportColumns {
		head[i] = c
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{r.Region, r.Category, r.Sales, r.Profit}); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sheetName makes a valid Excel sheet name (at most 31 characters, none of []:*?/\).
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if strings.TrimSpace(s) == "" {
		s = "Sheet1"
	}
	return s
}

// renderPPTX writes a PowerPoint presentation with one slide per image
// (Office Open XML: content types, presentation, master, layout, theme,
// slides with a picture each).
func renderPPTX(titles []string, images [][]byte) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	put := func(name, body string) error {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = w.Write([]byte(body))
		return err
	}
	const ns = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	var ct, sldIDs, presRels strings.Builder
	ct.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/><Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>`)
	presRels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="` + rel + `theme" Target="theme/theme1.xml"/>`)
	for i := range images {
		n := i + 1
		fmt.Fprintf(&ct, `<Override PartName="/ppt/slides/slide%d.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`, n)
		fmt.Fprintf(&sldIDs, `<p:sldId id="%d" r:id="rId%d"/>`, 255+n, 10+n)
		fmt.Fprintf(&presRels, `<Relationship Id="rId%d" Type="%sslide" Target="slides/slide%d.xml"/>`, 10+n, rel, n)
	}
	ct.WriteString(`</Types>`)
	presRels.WriteString(`</Relationships>`)
	spTree := `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>`
	files := []struct{ name, body string }{
		{"[Content_Types].xml", ct.String()},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `officeDocument" Target="ppt/presentation.xml"/></Relationships>`},
		{"ppt/presentation.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation ` + ns + `><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>` + sldIDs.String() + `</p:sldIdLst><p:sldSz cx="12192000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`},
		{"ppt/_rels/presentation.xml.rels", presRels.String()},
		{"ppt/slideMasters/slideMaster1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sldMaster ` + ns + `><p:cSld><p:spTree>` + spTree + `</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`},
		{"ppt/slideMasters/_rels/slideMaster1.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `slideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="` + rel + `theme" Target="../theme/theme1.xml"/></Relationships>`},
		{"ppt/slideLayouts/slideLayout1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sldLayout ` + ns + ` type="blank"><p:cSld name="Blank"><p:spTree>` + spTree + `</p:spTree></p:cSld></p:sldLayout>`},
		{"ppt/slideLayouts/_rels/slideLayout1.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + rel + `slideMaster" Target="../slideMasters/slideMaster1.xml"/></Relationships>`},
		{"ppt/theme/theme1.xml", pptxTheme},
	}
	for _, f := range files {
		if err := put(f.name, f.body); err != nil {
			return nil, err
		}
	}
	for i, img := range images {
		n := i + 1
		slide := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld %s><p:cSld><p:spTree>%s<p:pic><p:nvPicPr><p:cNvPr id="2" name="%s"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x="609600" y="457200"/><a:ext cx="10972800" cy="5943600"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic></p:spTree></p:cSld></p:sld>`,
			ns, spTree, xmlAttrEscape(titles[i]))
		rels := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="%sslideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="%simage" Target="../media/image%d.png"/></Relationships>`, rel, rel, n)
		if err := put(fmt.Sprintf("ppt/slides/slide%d.xml", n), slide); err != nil {
			return nil, err
		}
		if err := put(fmt.Sprintf("ppt/slides/_rels/slide%d.xml.rels", n), rels); err != nil {
			return nil, err
		}
		w, err := zw.Create(fmt.Sprintf("ppt/media/image%d.png", n))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(img); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func xmlAttrEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// pptxTheme is the smallest complete DrawingML theme.
const pptxTheme = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="tableautest"><a:themeElements><a:clrScheme name="tableautest"><a:dk1><a:srgbClr val="000000"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4E79A7"/></a:accent1><a:accent2><a:srgbClr val="F28E2B"/></a:accent2><a:accent3><a:srgbClr val="E15759"/></a:accent3><a:accent4><a:srgbClr val="76B7B2"/></a:accent4><a:accent5><a:srgbClr val="59A14F"/></a:accent5><a:accent6><a:srgbClr val="EDC948"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme><a:fontScheme name="tableautest"><a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="tableautest"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="25400"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="38100"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>`
