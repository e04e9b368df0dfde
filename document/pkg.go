package document

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
)

// Entry describes one file inside a package (.twbx or .tdsx).
type Entry struct {
	Name             string    // path inside the package, with forward slashes
	Size             int64     // uncompressed size as declared by the package
	CompressedSize   int64     // compressed size
	Method           uint16    // zip.Store or zip.Deflate
	Modified         time.Time // modification time
	Document         bool      // true for the workbook or datasource XML entry
	ReplacementBytes int64     // size of a pending replacement, -1 when none
}

// pkg is an opened zip package.
type pkg struct {
	zr       *zip.Reader
	docIndex int
	// replaced holds new contents for entries, by name.
	replaced map[string]replacement
}

type replacement struct {
	data []byte
	file string // read at save time when set
}

// isZip reports whether b starts like a zip file.
func isZip(b []byte) bool {
	return len(b) >= 4 && bytes.Equal(b[:4], []byte("PK\x03\x04")) || len(b) >= 4 && bytes.Equal(b[:4], []byte("PK\x05\x06"))
}

// checkEntryName refuses absolute names and names that climb with "..".
func checkEntryName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: empty entry name", ErrUnsafePath)
	}
	if strings.ContainsRune(name, 0) {
		return fmt.Errorf("%w: entry name %q holds a NUL byte", ErrUnsafePath, name)
	}
	if name[0] == '/' || name[0] == '\\' || (len(name) >= 2 && name[1] == ':') {
		return fmt.Errorf("%w: entry %q has an absolute path", ErrUnsafePath, name)
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return fmt.Errorf("%w: entry %q climbs out of the package (a \"..\" element)", ErrUnsafePath, name)
		}
	}
	return nil
}

// openPackage checks the package's limits and names and finds the document
// entry.
func openPackage(ctx context.Context, ra io.ReaderAt, size int64, o Options) (*pkg, []byte, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return nil, nil, fmt.Errorf("%w: %v", ErrMalformedPackage, err)
	}
	if len(zr.File) > o.MaxEntries {
		return nil, nil, fmt.Errorf("%w: package holds %d entries, more than MaxEntries %d", ErrLimit, len(zr.File), o.MaxEntries)
	}
	var total uint64
	seen := make(map[string]bool, len(zr.File))
	for _, f := range zr.File {
		if err := checkEntryName(f.Name); err != nil {
			return nil, nil, err
		}
		if seen[f.Name] {
			return nil, nil, fmt.Errorf("%w: entry %q appears twice", ErrMalformedPackage, f.Name)
		}
		seen[f.Name] = true
		off, err := f.DataOffset()
		if err != nil || off < 0 || uint64(off)+f.CompressedSize64 > uint64(size) {
			return nil, nil, fmt.Errorf("%w: entry %q lies outside the file", ErrMalformedPackage, f.Name)
		}
		total += f.UncompressedSize64
		if total > uint64(o.MaxUncompressedBytes) {
			return nil, nil, fmt.Errorf("%w: package entries declare more than MaxUncompressedBytes %d bytes", ErrLimit, o.MaxUncompressedBytes)
		}
	}
	p := &pkg{zr: zr, docIndex: -1, replaced: map[string]replacement{}}
	// Candidates: .twb and .tds entries, top level first, .twb before .tds.
	rank := func(name string) int {
		ext := strings.ToLower(path.Ext(name))
		r := -1
		switch ext {
		case ".twb":
			r = 0
		case ".tds":
			r = 1
		default:
			return -1
		}
		if strings.ContainsAny(name, "/\\") {
			r += 2
		}
		return r
	}
	best := -1
	for i, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		r := rank(f.Name)
		if r < 0 {
			continue
		}
		if best < 0 || r < rank(zr.File[best].Name) {
			best = i
		}
	}
	if best < 0 {
		return nil, nil, fmt.Errorf("%w: no .twb or .tds entry in the package", ErrMalformedPackage)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	f := zr.File[best]
	if f.UncompressedSize64 > uint64(o.MaxDocumentBytes) {
		return nil, nil, fmt.Errorf("%w: document entry %q is %d bytes, more than MaxDocumentBytes %d", ErrLimit, f.Name, f.UncompressedSize64, o.MaxDocumentBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: entry %q: %v", ErrMalformedPackage, f.Name, err)
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64, uint64(o.MaxDocumentBytes))+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(rc, o.MaxDocumentBytes+1))
	data := buf.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: entry %q: %v", ErrMalformedPackage, f.Name, err)
	}
	if int64(len(data)) > o.MaxDocumentBytes {
		return nil, nil, fmt.Errorf("%w: document entry %q is larger than MaxDocumentBytes %d", ErrLimit, f.Name, o.MaxDocumentBytes)
	}
	p.docIndex = best
	return p, data, nil
}

// entries lists the package's entries.
func (p *pkg) entries() []Entry {
	out := make([]Entry, 0, len(p.zr.File))
	for i, f := range p.zr.File {
		e := Entry{Name: f.Name, Size: int64(f.UncompressedSize64), CompressedSize: int64(f.CompressedSize64),
			Method: f.Method, Modified: f.Modified, Document: i == p.docIndex, ReplacementBytes: -1}
		if r, ok := p.replaced[f.Name]; ok {
			if r.file != "" {
				if st, err := os.Stat(r.file); err == nil {
					e.ReplacementBytes = st.Size()
				}
			} else {
				e.ReplacementBytes = int64(len(r.data))
			}
		}
		out = append(out, e)
	}
	return out
}

// write writes the package with doc as the document entry; entries neither
// the document nor replaced are copied byte for byte.
func (p *pkg) write(ctx context.Context, w io.Writer, doc func(io.Writer) error) error {
	zw := zip.NewWriter(w)
	if p.zr.Comment != "" {
		if err := zw.SetComment(p.zr.Comment); err != nil {
			return err
		}
	}
	for i, f := range p.zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, isReplaced := p.replaced[f.Name]
		if i != p.docIndex && !isReplaced {
			if err := zw.Copy(f); err != nil {
				return fmt.Errorf("%w: copying entry %q: %v", ErrMalformedPackage, f.Name, err)
			}
			continue
		}
		hdr := f.FileHeader
		hdr.CRC32, hdr.CompressedSize64, hdr.UncompressedSize64 = 0, 0, 0
		hdr.Extra = nil
		hdr.Flags = 0
		dst, err := zw.CreateHeader(&hdr)
		if err != nil {
			return fmt.Errorf("document: writing entry %q: %w", f.Name, err)
		}
		switch {
		case i == p.docIndex:
			err = doc(dst)
		case r.file != "":
			err = copyFile(ctx, dst, r.file)
		default:
			_, err = dst.Write(r.data)
		}
		if err != nil {
			return fmt.Errorf("document: writing entry %q: %w", f.Name, err)
		}
	}
	return zw.Close()
}

func copyFile(ctx context.Context, dst io.Writer, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := f.Read(buf)
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}
