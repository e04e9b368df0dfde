package document

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers test with errors.Is; [*SyntaxError] and [*VersionError] carry
// details for errors.As.
var (
	// ErrMalformed reports XML that is not well formed, or a document whose
	// root is neither a workbook nor a datasource.
	ErrMalformed = errors.New("document: malformed document")
	// ErrMalformedPackage reports a .twbx or .tdsx that is not a readable zip
	// file or holds no workbook or datasource.
	ErrMalformedPackage = errors.New("document: malformed package")
	// ErrUnsupportedVersion reports a document written by Tableau before 9.0.
	ErrUnsupportedVersion = errors.New("document: unsupported version")
	// ErrLimit reports input beyond a limit of [Options].
	ErrLimit = errors.New("document: limit exceeded")
	// ErrUnsafePath reports a package entry whose name is absolute or climbs
	// out of the package with "..".
	ErrUnsafePath = errors.New("document: unsafe path in package")
	// ErrNotFound reports a datasource, field, connection, parameter, sheet
	// or package entry that does not exist.
	ErrNotFound = errors.New("document: not found")
	// ErrWrongKind reports a workbook opened as a datasource or the reverse,
	// or a package operation on a file that is not packaged.
	ErrWrongKind = errors.New("document: wrong kind of document")
	// ErrInvalid reports an argument that cannot be applied, such as a
	// parameter value outside its allowed list or a duplicate field name.
	ErrInvalid = errors.New("document: invalid argument")
)

// SyntaxError describes malformed XML: where it is and what is wrong.
type SyntaxError struct {
	Offset int64  // byte offset in the XML document
	Line   int    // 1-based line number
	Msg    string // what is wrong
}

// Error says where the XML is malformed and how.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("document: malformed XML at line %d (byte %d): %s", e.Line, e.Offset, e.Msg)
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *SyntaxError) Is(target error) bool { return target == ErrMalformed }

// VersionError reports a document older than Tableau 9.
type VersionError struct {
	Version string // the root element's version attribute ("" when absent)
}

// Error names the version and says it is older than Tableau 9.
func (e *VersionError) Error() string {
	v := e.Version
	if v == "" {
		v = "(none)"
	}
	return fmt.Sprintf("document: file version %s is older than Tableau 9.0; files from Tableau 8 and earlier are not supported (open and save it in a newer Tableau first)", v)
}

// Is makes errors.Is(err, ErrUnsupportedVersion) true.
func (e *VersionError) Is(target error) bool { return target == ErrUnsupportedVersion }
