package document

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Kind says whether a document is a workbook or a datasource.
type Kind int

const (
	// KindWorkbook is a .twb or .twbx: the root element is <workbook>.
	KindWorkbook Kind = iota + 1
	// KindDatasource is a .tds or .tdsx: the root element is <datasource>.
	KindDatasource
)

// String returns "workbook", "datasource" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindWorkbook:
		return "workbook"
	case KindDatasource:
		return "datasource"
	}
	return "unknown"
}

// Document is an opened workbook or datasource file, packaged or not. It
// keeps the file's original bytes and the changes made through [Workbook]
// and [Datasource]; saving writes the original bytes with the changed
// elements spliced in, so everything not changed stays byte for byte the
// same. A Document is not safe for concurrent use.
type Document struct {
	path   string   // file it was opened from, "" for Read
	file   *os.File // open package source, nil when not packaged or read from memory
	kind   Kind
	t      *tree
	pkg    *pkg
	entry  string // document entry name inside the package
	closed bool
}

// Open opens the workbook or datasource at path: .twb, .twbx, .tds or .tdsx
// (recognized by content, not by name). A packaged file stays open until
// [Document.Close], so its other entries can be copied when saving.
func Open(ctx context.Context, path string, opts *Options) (*Document, error) {
	o := opts.withDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("document: %w", err)
	}
	var magic [4]byte
	n, _ := f.ReadAt(magic[:], 0)
	if isZip(magic[:n]) {
		p, data, err := openPackage(ctx, f, st.Size(), o)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		d, err := newDocument(data, p, o)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		d.path, d.file = path, f
		return d, nil
	}
	defer f.Close()
	if st.Size() > o.MaxDocumentBytes {
		return nil, fmt.Errorf("%s: %w: %d bytes, more than MaxDocumentBytes %d", path, ErrLimit, st.Size(), o.MaxDocumentBytes)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data := make([]byte, st.Size())
	_, err = io.ReadFull(f, data)
	if err != nil {
		return nil, fmt.Errorf("document: %w", err)
	}
	d, err := newDocument(data, nil, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d.path = path
	return d, nil
}

// Read reads a workbook or datasource, packaged or not, from r. It holds the
// whole input in memory (a package with its extracts too), so prefer [Open]
// for large packages. A package may be at most MaxUncompressedBytes long;
// plain XML at most MaxDocumentBytes.
func Read(ctx context.Context, r io.Reader, opts *Options) (*Document, error) {
	o := opts.withDefaults()
	limit := o.MaxUncompressedBytes
	if limit < o.MaxDocumentBytes {
		limit = o.MaxDocumentBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("document: reading: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: input is larger than %d bytes", ErrLimit, limit)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if isZip(data) {
		p, xml, err := openPackage(ctx, bytes.NewReader(data), int64(len(data)), o)
		if err != nil {
			return nil, err
		}
		return newDocument(xml, p, o)
	}
	if int64(len(data)) > o.MaxDocumentBytes {
		return nil, fmt.Errorf("%w: document is %d bytes, more than MaxDocumentBytes %d", ErrLimit, len(data), o.MaxDocumentBytes)
	}
	return newDocument(data, nil, o)
}

func newDocument(data []byte, p *pkg, o Options) (*Document, error) {
	t, err := newTree(data, scanLimits{maxDepth: o.MaxDepth})
	if err != nil {
		return nil, err
	}
	d := &Document{t: t, pkg: p}
	if p != nil {
		d.entry = p.zr.File[p.docIndex].Name
	}
	switch t.name(0) {
	case "workbook":
		d.kind = KindWorkbook
	case "datasource":
		d.kind = KindDatasource
	default:
		return nil, fmt.Errorf("%w: root element is <%s>, neither <workbook> nor <datasource>", ErrMalformed, t.name(0))
	}
	if v := t.attrOr(0, "version"); !atLeast9(v) {
		return nil, &VersionError{Version: v}
	}
	return d, nil
}

// atLeast9 reports whether a version such as "18.1" or "9.3" is 9.0 or newer.
func atLeast9(v string) bool {
	major, _, _ := strings.Cut(strings.TrimSpace(v), ".")
	n, err := strconv.Atoi(major)
	return err == nil && n >= 9
}

// Kind reports whether this is a workbook or a datasource.
func (d *Document) Kind() Kind { return d.kind }

// Version returns the root element's version attribute, such as "18.1".
func (d *Document) Version() string { return d.t.attrOr(0, "version") }

// Packaged reports whether the document came from a .twbx or .tdsx.
func (d *Document) Packaged() bool { return d.pkg != nil }

// Path returns the file the document was opened from ("" after [Read]).
func (d *Document) Path() string { return d.path }

// EntryName returns the name of the XML entry inside a package ("" when
// not packaged).
func (d *Document) EntryName() string { return d.entry }

// Entries lists the package's entries in their stored order; nil when the
// document is not packaged.
func (d *Document) Entries() []Entry {
	if d.pkg == nil {
		return nil
	}
	return d.pkg.entries()
}

func (d *Document) replaceCheck(name string) error {
	if d.pkg == nil {
		return fmt.Errorf("%w: only packaged documents (.twbx, .tdsx) have entries", ErrWrongKind)
	}
	for i, f := range d.pkg.zr.File {
		if f.Name == name {
			if i == d.pkg.docIndex {
				return fmt.Errorf("%w: entry %q is the document itself; change it through Workbook or Datasource", ErrInvalid, name)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: no entry %q in the package", ErrNotFound, name)
}

// ReplaceEntry gives an existing package entry (for example an extract,
// "Data/Extracts/Orders.hyper") new contents, written on the next save. The
// entry keeps its name, place and compression method.
func (d *Document) ReplaceEntry(name string, data []byte) error {
	if err := d.replaceCheck(name); err != nil {
		return err
	}
	d.pkg.replaced[name] = replacement{data: bytes.Clone(data)}
	return nil
}

// ReplaceEntryFile is [Document.ReplaceEntry] with the contents read from
// the file at path when saving, so large extracts are streamed.
func (d *Document) ReplaceEntryFile(name, path string) error {
	if err := d.replaceCheck(name); err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("document: replacement for %q: %w", name, err)
	}
	d.pkg.replaced[name] = replacement{file: path}
	return nil
}

// Changed reports whether the document differs from what was opened.
func (d *Document) Changed() bool {
	return d.t.changed() || (d.pkg != nil && len(d.pkg.replaced) > 0)
}

// XML returns the workbook or datasource XML with every change applied.
// The caller must not modify the returned bytes.
func (d *Document) XML() []byte { return d.t.bytes() }

// Write writes the document, packaged if it was opened packaged.
func (d *Document) Write(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d.closed && d.pkg != nil && d.path != "" {
		return fmt.Errorf("%w: the package was closed; its entries can no longer be copied", ErrInvalid)
	}
	if d.pkg == nil {
		return d.t.writeTo(w)
	}
	return d.pkg.write(ctx, w, d.t.writeTo)
}

// Save writes the document over the file it was opened from. The file is
// replaced atomically: the new contents go to a temporary file in the same
// folder, which is then renamed.
func (d *Document) Save(ctx context.Context) error {
	if d.path == "" {
		return fmt.Errorf("%w: the document was read from a stream; use SaveAs or Write", ErrInvalid)
	}
	return d.SaveAs(ctx, d.path)
}

// SaveAs writes the document to path (atomically, as [Document.Save]).
// The document stays usable: later saves write the same changes again.
func (d *Document) SaveAs(ctx context.Context, path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("document: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := d.Write(ctx, tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	ok = true
	return nil
}

// Close releases the package file held open since [Open]. It is safe to
// call more than once and on unpackaged documents.
func (d *Document) Close() error {
	d.closed = true
	if d.file == nil {
		return nil
	}
	err := d.file.Close()
	d.file = nil
	return err
}

// Workbook returns the workbook model, or ErrWrongKind for a datasource.
func (d *Document) Workbook() (*Workbook, error) {
	if d.kind != KindWorkbook {
		return nil, fmt.Errorf("%w: this is a %s, not a workbook", ErrWrongKind, d.kind)
	}
	return &Workbook{Document: d}, nil
}

// Datasource returns the model of a .tds or .tdsx, or ErrWrongKind for a
// workbook (whose datasources are in [Workbook.Datasources]).
func (d *Document) Datasource() (*Datasource, error) {
	if d.kind != KindDatasource {
		return nil, fmt.Errorf("%w: this is a %s, not a datasource", ErrWrongKind, d.kind)
	}
	return &Datasource{d: d, n: 0}, nil
}

// OpenWorkbook opens a .twb or .twbx; Close the returned workbook.
func OpenWorkbook(ctx context.Context, path string, opts *Options) (*Workbook, error) {
	d, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	w, err := d.Workbook()
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

// OpenDatasource opens a .tds or .tdsx; Close its Document.
func OpenDatasource(ctx context.Context, path string, opts *Options) (*Datasource, error) {
	d, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	ds, err := d.Datasource()
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ds, nil
}

// Location says where an element is in the document XML.
type Location struct {
	Line int    // 1-based line in the original XML (0 for elements added since opening)
	Path string // readable path, such as "worksheet 'Sales' > style-rule[element=title] > format[attr=font-family]"
}

// String returns "line N: path", or the path alone for added elements.
func (l Location) String() string {
	if l.Line == 0 {
		return l.Path
	}
	return fmt.Sprintf("line %d: %s", l.Line, l.Path)
}

func (d *Document) line(n int32) int { return d.t.line(n) }
