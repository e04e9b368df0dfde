package tableautest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// fileInfo is what the emulator reads from a published file.
type fileInfo struct {
	sheets      []sheetInfo
	connections []connection
	hasExtract  bool
	dsType      string // the first connection's class
}

type sheetInfo struct{ name, kind string }

// fileTypes are the file types each resource accepts.
var fileTypes = map[resKind][]string{
	resWorkbook:   {"twb", "twbx"},
	resDatasource: {"tds", "tdsx", "hyper"},
}

// hyperMagic starts every .hyper file (the bytes "Hyper", as hyperd writes
// them for every database file version).
var hyperMagic = []byte("Hyper")

// inspect checks that a file is what its type says and reads its sheets
// and connections. The error is a sentence for a <detail>.
func inspect(fileType string, b *blob) (fileInfo, error) {
	var info fileInfo
	if b.size == 0 {
		return info, errors.New("the file is empty")
	}
	switch fileType {
	case "twb", "tds":
		root := map[string]string{"twb": "workbook", "tds": "datasource"}[fileType]
		if err := scanDocument(b.reader(), root, &info); err != nil {
			return info, fmt.Errorf("the .%s file is not a Tableau %s document: %v", fileType, root, err)
		}
	case "twbx", "tdsx":
		inner := strings.TrimSuffix(fileType, "x")
		root := map[string]string{"twb": "workbook", "tds": "datasource"}[inner]
		zr, err := zip.NewReader(b, b.size)
		if err != nil {
			return info, fmt.Errorf("the .%s file is not a zip package: %v", fileType, err)
		}
		var doc *zip.File
		for _, f := range zr.File {
			switch strings.ToLower(path.Ext(f.Name)) {
			case "." + inner:
				if doc == nil && !strings.Contains(f.Name, "/") {
					doc = f
				}
			case ".hyper", ".tde":
				info.hasExtract = true
			}
		}
		if doc == nil {
			for _, f := range zr.File {
				if strings.EqualFold(path.Ext(f.Name), "."+inner) {
					doc = f
					break
				}
			}
		}
		if doc == nil {
			return info, fmt.Errorf("the .%s package holds no .%s document", fileType, inner)
		}
		rc, err := doc.Open()
		if err != nil {
			return info, fmt.Errorf("the .%s package's %s cannot be read: %v", fileType, doc.Name, err)
		}
		defer rc.Close()
		if err := scanDocument(rc, root, &info); err != nil {
			return info, fmt.Errorf("the .%s package's %s is not a Tableau %s document: %v", fileType, doc.Name, root, err)
		}
	case "hyper":
		head := make([]byte, len(hyperMagic))
		if _, err := b.ReadAt(head, 0); err != nil || string(head) != string(hyperMagic) {
			return info, errors.New("the .hyper file does not start with the Hyper file signature")
		}
		info.hasExtract = true
		info.dsType = "hyper"
		info.connections = []connection{{Type: "hyper"}}
	default:
		return info, fmt.Errorf("the file type '%s' is not one of twb, twbx, tds, tdsx, hyper", fileType)
	}
	for _, c := range info.connections {
		if c.Type == "hyper" || c.Type == "dataengine" {
			info.hasExtract = true
		}
	}
	if info.dsType == "" && len(info.connections) > 0 {
		info.dsType = info.connections[0].Type
	}
	return info, nil
}

// scanDocument reads a .twb or .tds with a streaming decoder: the root must
// be want; it collects worksheets, dashboards and connections.
func scanDocument(r io.Reader, want string, info *fileInfo) error {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	depth := 0
	sawRoot := false
	var stack []string
	dsName := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if sawRoot {
					return errors.New("it has more than one root element")
				}
				if t.Name.Local != want {
					return fmt.Errorf("its root element is <%s>, not <%s>", t.Name.Local, want)
				}
				sawRoot = true
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, t.Name.Local)
			depth++
			a := func(name string) string {
				for _, at := range t.Attr {
					if at.Name.Local == name {
						return at.Value
					}
				}
				return ""
			}
			switch {
			case t.Name.Local == "worksheet" && parent == "worksheets":
				info.sheets = append(info.sheets, sheetInfo{a("name"), "worksheet"})
			case t.Name.Local == "dashboard" && parent == "dashboards":
				k := "dashboard"
				if a("type") == "storyboard" {
					k = "story"
				}
				info.sheets = append(info.sheets, sheetInfo{a("name"), k})
			case t.Name.Local == "datasource":
				dsName = a("caption")
				if dsName == "" {
					dsName = a("formatted-name")
				}
				if dsName == "" {
					dsName = a("name")
				}
			case t.Name.Local == "connection":
				class := a("class")
				if class != "" && class != "federated" {
					info.connections = append(info.connections, connection{
						Type: class, Server: a("server"), Port: a("port"), Username: a("username"), DSName: dsName,
					})
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			depth--
		}
	}
	if depth != 0 || len(stack) != 0 {
		return errors.New("it ends before its root element closes")
	}
	if !sawRoot {
		return errors.New("it has no root element")
	}
	return nil
}

// stripExtracts writes a .twbx or .tdsx package to w without its extract
// files (.hyper, .tde), copying the other entries unchanged.
func stripExtracts(w io.Writer, b *blob) error {
	zr, err := zip.NewReader(b, b.size)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".hyper", ".tde":
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return err
		}
		fh := f.FileHeader
		out, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, raw); err != nil {
			return err
		}
	}
	return zw.Close()
}
