package analytics

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors. Errors returned by this package, and the [*Error] values
// the server answers with, match them with errors.Is.
var (
	// ErrBadRequest: the request or its arguments are malformed (HTTP 400).
	ErrBadRequest = errors.New("analytics: bad request")
	// ErrUnauthorized: credentials are missing or wrong (HTTP 401).
	ErrUnauthorized = errors.New("analytics: unauthorized")
	// ErrNotFound: no function is registered under the name (HTTP 404).
	ErrNotFound = errors.New("analytics: not found")
	// ErrNotAcceptable: credentials were sent to a server without authentication (HTTP 406).
	ErrNotAcceptable = errors.New("analytics: credentials sent but authentication is not enabled")
	// ErrTimeout: the function ran past the per-call timeout (HTTP 408).
	ErrTimeout = errors.New("analytics: function timed out")
	// ErrTooLarge: the request body exceeds the size limit (HTTP 413).
	ErrTooLarge = errors.New("analytics: request body too large")
	// ErrFunctionFailed: the function returned an error or panicked (HTTP 500).
	ErrFunctionFailed = errors.New("analytics: function failed")
	// ErrInvalidFunction: a function given to Register has an unsupported signature.
	ErrInvalidFunction = errors.New("analytics: invalid function")
	// ErrDuplicateFunction: a function is already registered under the name.
	ErrDuplicateFunction = errors.New("analytics: function already registered")
	// ErrPasswordFile: a password file is malformed.
	ErrPasswordFile = errors.New("analytics: invalid password file")
)

// Error is the error the server answers with: the HTTP status and TabPy's
// JSON error body {"message": ..., "info": ...}. It matches the sentinel of
// its status with errors.Is.
type Error struct {
	// Status is the HTTP status code.
	Status int
	// Message is the body's "message": a short summary, as TabPy words it.
	Message string
	// Info is the body's "info": the detail (which argument, which row...).
	Info string
	// Err is the underlying cause, if any. It is not sent to clients.
	Err error
}

// Error implements error.
func (e *Error) Error() string {
	s := fmt.Sprintf("analytics: %d %s", e.Status, e.Message)
	if e.Info != "" {
		s += ": " + e.Info
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel that corresponds to the status code.
func (e *Error) Is(target error) bool {
	switch e.Status {
	case http.StatusBadRequest:
		return target == ErrBadRequest
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusNotFound:
		return target == ErrNotFound
	case http.StatusNotAcceptable:
		return target == ErrNotAcceptable
	case http.StatusRequestTimeout:
		return target == ErrTimeout
	case http.StatusRequestEntityTooLarge:
		return target == ErrTooLarge
	case http.StatusInternalServerError:
		return target == ErrFunctionFailed
	}
	return false
}

func badRequest(message, info string) *Error {
	return &Error{Status: http.StatusBadRequest, Message: message, Info: info}
}

// argError reports a problem with one argument of a call.
func argError(format string, a ...any) *Error {
	return badRequest("Invalid arguments", fmt.Sprintf(format, a...))
}
