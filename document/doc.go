// Package document reads and changes Tableau workbooks and datasources:
// .twb and .tds files, and the packaged .twbx and .tdsx that hold them with
// their extracts and images.
//
// It models what Tableau's Python Document API (tableaudocumentapi) does
// and more, and saves without losing anything it does not model: saving
// writes the original bytes with only the changed elements spliced in, so
// an unchanged save reproduces the file byte for byte, and a changed
// workbook diffs cleanly in version control.
//
// # Opening
//
// [Open] takes a path, [Read] a reader; both recognize packages by content.
// [OpenWorkbook] and [OpenDatasource] also check the kind:
//
//	w, err := document.OpenWorkbook(ctx, "sales.twbx", nil)
//	if err != nil { ... }
//	defer w.Close()
//
// Files from Tableau 8 and earlier are refused with [ErrUnsupportedVersion]
// (a [*VersionError]). Malformed XML gives [ErrMalformed] (a [*SyntaxError]
// with the line), broken packages [ErrMalformedPackage]. Packages are opened
// with the limits of [Options]: entry count, declared uncompressed size,
// document size, nesting depth; entries with absolute names or ".." are
// refused with [ErrUnsafePath].
//
// # Reading
//
// A [Workbook] has datasources ([Datasource]), worksheets ([Worksheet], with
// the fields each uses), dashboards ([Dashboard], with the sheets on them),
// parameters ([Parameter]: type, current value, allowed values or range)
// and styles ([StyleSetting], [Palette]). A datasource has connections
// ([Connection]: plain, or the named connections of a federated
// datasource), fields ([Field]: caption, alias, datatype, role, type,
// hidden, description, default aggregation, value aliases, formula and the
// fields a formula refers to), custom SQL and extract information.
//
// # Changing
//
// Connections: server, port, database, schema, user name, class,
// authentication, initial SQL and query band ([Connection.Apply] does
// several at once). Fields: caption, name ([Field.Rename] also rewrites
// formulas), hidden, role, type, datatype, value aliases, formulas; add and
// remove calculated fields ([Datasource.AddCalculatedField],
// [Datasource.RemoveField]). Parameter values ([Parameter.SetValue], checked
// against the allowed values). Fonts, colors and palettes
// ([StyleSetting.Set], [Palette.SetColors], [Workbook.AddPalette]). In a
// package, other entries such as the extract ([Document.ReplaceEntry],
// [Document.ReplaceEntryFile]).
//
// # Saving
//
// [Document.Save] replaces the file atomically, [Document.SaveAs] writes a
// copy, [Document.Write] writes to any writer. In a package only the
// workbook or datasource entry (and replaced entries) are rewritten; every
// other entry is copied with its compressed bytes, name, order and
// compression method.
//
// # How it works
//
// Opening scans the XML once into a compact index of elements (names and
// byte offsets, no attributes), checking that it is well formed. Reading a
// value decodes just that start tag. Changing an attribute rewrites just
// that start tag; structural changes parse just the element concerned with
// [github.com/beevik/etree]. This makes opening, changing every connection
// and saving a 20 MB workbook several times faster than the Python
// Document API (see docs/benchmarks/document.md).
//
// A Document and everything obtained from it are not safe for concurrent
// use.
package document
