package hyper

import (
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Sentinel errors. Match them with errors.Is.
var (
	// ErrHyperdNotFound reports that no hyperd executable was found.
	ErrHyperdNotFound = errors.New("hyper: hyperd not found")
	// ErrProcessExited reports that the hyperd process has exited (or was
	// killed); every later call on it or its connections fails with it.
	ErrProcessExited = errors.New("hyper: hyperd exited")
	// ErrClosed reports a call on a closed process, connection, rows or inserter.
	ErrClosed = errors.New("hyper: closed")
	// ErrDatabaseInUse reports that another hyperd holds the database file open.
	ErrDatabaseInUse = errors.New("hyper: database file is in use by another hyperd")
	// ErrWrongType reports a Go value that does not fit the column's type.
	ErrWrongType = errors.New("hyper: value does not fit the column type")
	// ErrNullNotAllowed reports a NULL for a NOT NULL column.
	ErrNullNotAllowed = errors.New("hyper: NULL for a NOT NULL column")
	// ErrRowLength reports a row with too few or too many values.
	ErrRowLength = errors.New("hyper: wrong number of values in row")
	// ErrNoRows reports that QueryRow found no row.
	ErrNoRows = errors.New("hyper: no rows in result")
	// ErrInvalidOptions reports options rejected before any I/O.
	ErrInvalidOptions = errors.New("hyper: invalid options")
	// ErrMalformed reports bytes from the server that do not decode.
	ErrMalformed = errors.New("hyper: malformed value")
)

// SQLError is an error reported by hyperd for a statement.
type SQLError struct {
	SQLState string // five-character SQLSTATE code
	Message  string
	Detail   string
	Hint     string
	err      *pgconn.PgError
}

func (e *SQLError) Error() string {
	s := "hyper: " + e.Message + " (SQLSTATE " + e.SQLState + ")"
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Hint != "" {
		s += " (hint: " + e.Hint + ")"
	}
	return s
}

// Unwrap returns the underlying *pgconn.PgError.
func (e *SQLError) Unwrap() error { return e.err }

// Is maps well-known server errors to sentinels, for example
// ErrDatabaseInUse and ErrNullNotAllowed.
func (e *SQLError) Is(target error) bool {
	switch target {
	case ErrDatabaseInUse:
		return e.SQLState == "55006" || isInUseMessage(e.Message+" "+e.Detail)
	case ErrNullNotAllowed:
		return e.SQLState == "23502"
	}
	return false
}

// ValueError reports a bad value given to an Inserter or as a parameter:
// which row (counting from 1 in this inserter), which column, and why.
type ValueError struct {
	Row    int64
	Column string
	Err    error // ErrWrongType, ErrNullNotAllowed, ErrRowLength or a parse error
	Detail string
}

func (e *ValueError) Error() string {
	s := fmt.Sprintf("hyper: row %d", e.Row)
	if e.Column != "" {
		s += fmt.Sprintf(", column %q", e.Column)
	}
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the cause.
func (e *ValueError) Unwrap() error { return e.Err }

// ExitError reports that hyperd exited, with its exit status and the last
// lines it wrote to stderr. It matches ErrProcessExited.
type ExitError struct {
	Status string // as reported by os/exec, for example "signal: killed"
	Stderr string
}

func (e *ExitError) Error() string {
	s := "hyper: hyperd exited (" + e.Status + ")"
	if e.Stderr != "" {
		s += ": " + e.Stderr
	}
	return s
}

// Is matches ErrProcessExited.
func (e *ExitError) Is(target error) bool { return target == ErrProcessExited }

// isInUseMessage recognises hyperd's message for a file another hyperd holds.
func isInUseMessage(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "still in use") || strings.Contains(s, "being used by another process") || strings.Contains(s, "already in use") ||
		strings.Contains(s, "could not acquire") || strings.Contains(s, "locked")
}
