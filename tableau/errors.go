package tableau

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. A [*Error] from the server matches the one for its HTTP
// status with [errors.Is]; a [*VersionError] matches [ErrUnsupportedVersion].
var (
	// ErrBadRequest matches HTTP 400 responses.
	ErrBadRequest = errors.New("tableau: bad request")
	// ErrUnauthorized matches HTTP 401 responses (bad credentials, expired session).
	ErrUnauthorized = errors.New("tableau: unauthorized")
	// ErrForbidden matches HTTP 403 responses.
	ErrForbidden = errors.New("tableau: forbidden")
	// ErrNotFound matches HTTP 404 responses.
	ErrNotFound = errors.New("tableau: not found")
	// ErrConflict matches HTTP 409 responses (for example a duplicate name).
	ErrConflict = errors.New("tableau: conflict")
	// ErrRateLimited matches HTTP 429 responses that were still rate limited
	// after the retries the [RetryPolicy] allows.
	ErrRateLimited = errors.New("tableau: rate limited")
	// ErrServer matches HTTP 5xx responses.
	ErrServer = errors.New("tableau: server error")
	// ErrUnsupportedVersion matches a [*VersionError]: a method needs a newer
	// REST API version than the session uses.
	ErrUnsupportedVersion = errors.New("tableau: unsupported API version")
	// ErrNotSignedIn is returned by methods that need a session token or a
	// site id before [Session.SignIn] succeeded.
	ErrNotSignedIn = errors.New("tableau: not signed in")
	// ErrInvalidArgument wraps errors about bad input found before any request.
	ErrInvalidArgument = errors.New("tableau: invalid argument")
	// ErrRedirect wraps errors about redirects the session refuses to follow.
	ErrRedirect = errors.New("tableau: redirect refused")
)

// Error is an error response of the Tableau REST API:
//
//	<error code="404002"><summary>Resource Not Found</summary><detail>...</detail></error>
//
// Bodies that are not a Tableau error document keep the HTTP status, a
// Summary from the status text and a Detail with the start of the body.
type Error struct {
	HTTPStatus int    // HTTP status code, for example 404
	Code       string // Tableau's error code, for example "404002"; "" if none
	Summary    string // Tableau's summary, for example "Resource Not Found"
	Detail     string // Tableau's detail sentence
	Method     string // HTTP method of the request
	URL        string // URL of the request (never holds credentials)
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("tableau: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
	}
	if e.URL != "" {
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "HTTP %d", e.HTTPStatus)
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteByte(')')
	}
	if e.Summary != "" {
		b.WriteString(": ")
		b.WriteString(e.Summary)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's HTTP status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.HTTPStatus == http.StatusBadRequest
	case ErrUnauthorized:
		return e.HTTPStatus == http.StatusUnauthorized
	case ErrForbidden:
		return e.HTTPStatus == http.StatusForbidden
	case ErrNotFound:
		return e.HTTPStatus == http.StatusNotFound
	case ErrConflict:
		return e.HTTPStatus == http.StatusConflict
	case ErrRateLimited:
		return e.HTTPStatus == http.StatusTooManyRequests
	case ErrServer:
		return e.HTTPStatus >= 500 && e.HTTPStatus <= 599
	}
	return false
}

// SessionExpired reports whether e says that the session token expired or
// was revoked (HTTP 401 with code 401002).
func (e *Error) SessionExpired() bool {
	return e.HTTPStatus == http.StatusUnauthorized && e.Code == CodeSessionExpired
}

// Tableau error codes the package acts on.
const (
	// CodeSignInFailed is the code of a sign-in with bad credentials.
	CodeSignInFailed = "401001"
	// CodeSessionExpired is the code of a request with an expired or invalid token.
	CodeSessionExpired = "401002"
)

// VersionError says that a method needs a newer REST API version than the
// session uses. It matches [ErrUnsupportedVersion].
type VersionError struct {
	Method string // the method, for example "rest.Projects.List"
	Need   string // the REST API version the method needs
	Have   string // the REST API version in use
}

// Error implements error.
func (e *VersionError) Error() string {
	return fmt.Sprintf("tableau: %s needs REST API version %s or later; the session uses %s", e.Method, e.Need, e.Have)
}

// Is reports whether target is [ErrUnsupportedVersion].
func (e *VersionError) Is(target error) bool { return target == ErrUnsupportedVersion }

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// maxErrorDetail bounds the Detail kept from a body that is not XML.
const maxErrorDetail = 512

type errorDoc struct {
	Error *struct {
		Code    string `xml:"code,attr"`
		Summary string `xml:"summary"`
		Detail  string `xml:"detail"`
	} `xml:"error"`
}

// parseError reads an error response (at most maxErrorBody bytes) into an
// *Error. It does not close body.
func parseError(status int, body io.Reader, method, url string) *Error {
	e := &Error{HTTPStatus: status, Method: method, URL: url}
	var data []byte
	if body != nil {
		data, _ = io.ReadAll(io.LimitReader(body, maxErrorBody))
	}
	var doc errorDoc
	if len(bytes.TrimSpace(data)) > 0 && xml.Unmarshal(data, &doc) == nil && doc.Error != nil {
		e.Code = strings.TrimSpace(doc.Error.Code)
		e.Summary = strings.TrimSpace(doc.Error.Summary)
		e.Detail = strings.TrimSpace(doc.Error.Detail)
		return e
	}
	e.Summary = http.StatusText(status)
	e.Detail = printable(data, maxErrorDetail)
	return e
}

// printable returns at most n bytes of data as one line of valid UTF-8.
func printable(data []byte, n int) string {
	data = bytes.TrimSpace(data)
	truncated := false
	if len(data) > n {
		data = data[:n]
		truncated = true
	}
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	s = strings.Join(strings.Fields(s), " ")
	if truncated {
		s += "…"
	}
	return s
}
