package metadata

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels that an [*Errors] matches with [errors.Is] when one of its
// errors has the code.
var (
	// ErrNodeLimitExceeded: the answer was cut at the server's node limit
	// (code NODE_LIMIT_EXCEEDED). Pagers retry with smaller pages.
	ErrNodeLimitExceeded = errors.New("metadata: node limit exceeded")
	// ErrTimeLimitExceeded: the query ran out of time (TIME_LIMIT_EXCEEDED).
	// Pagers retry with smaller pages.
	ErrTimeLimitExceeded = errors.New("metadata: time limit exceeded")
	// ErrRateExceeded: too many queries (RATE_EXCEEDED). The client backs
	// off and retries; see [Options].RateRetries.
	ErrRateExceeded = errors.New("metadata: rate exceeded")
	// ErrInvalidQuery: the query or its arguments are not valid (a
	// validation error, INVALID_ARGUMENT or FILTER_REQUIRED).
	ErrInvalidQuery = errors.New("metadata: invalid query")
	// ErrAccessDenied: the user may not use the Metadata API (ACCESS_DENIED
	// or FEATURE_DISABLED).
	ErrAccessDenied = errors.New("metadata: access denied")
	// ErrPartial: some data came back together with the errors.
	ErrPartial = errors.New("metadata: partial data")
)

// GraphQLError is one entry of a GraphQL response's "errors".
type GraphQLError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Locations  []Location     `json:"locations,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Location is a position in the query text.
type Location struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Code returns the error's extensions.code, for example
// "NODE_LIMIT_EXCEEDED" ("" when there is none).
func (e GraphQLError) Code() string {
	s, _ := e.Extensions["code"].(string)
	return s
}

// Severity returns extensions.severity: "ERROR" or "WARNING" ("" when
// there is none).
func (e GraphQLError) Severity() string {
	s, _ := e.Extensions["severity"].(string)
	return s
}

// Errors are the GraphQL errors of one response. Partial says data came
// with them, which the call decoded as usual. It matches the sentinels of
// this package with [errors.Is].
type Errors struct {
	Op      string // the operation name ("" for an anonymous query)
	List    []GraphQLError
	Partial bool
}

// Error implements error.
func (e *Errors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "metadata: %s: ", opName(e.Op))
	for i, g := range e.List {
		if i > 0 {
			b.WriteString("; ")
		}
		if c := g.Code(); c != "" {
			b.WriteString(c + ": ")
		}
		b.WriteString(g.Message)
	}
	if e.Partial {
		b.WriteString(" (partial data returned)")
	}
	return b.String()
}

// Is matches the sentinels for the errors' codes.
func (e *Errors) Is(target error) bool {
	if target == ErrPartial {
		return e.Partial
	}
	for _, g := range e.List {
		var s error
		switch g.Code() {
		case "NODE_LIMIT_EXCEEDED":
			s = ErrNodeLimitExceeded
		case "TIME_LIMIT_EXCEEDED":
			s = ErrTimeLimitExceeded
		case "RATE_EXCEEDED":
			s = ErrRateExceeded
		case "INVALID_ARGUMENT", "FILTER_REQUIRED", "":
			s = ErrInvalidQuery
		case "ACCESS_DENIED", "FEATURE_DISABLED":
			s = ErrAccessDenied
		}
		if s == target {
			return true
		}
	}
	return false
}

// Warnings reports whether every error is only a warning (severity
// WARNING), as a node limit cut is.
func (e *Errors) Warnings() bool {
	for _, g := range e.List {
		if g.Severity() != "WARNING" {
			return false
		}
	}
	return len(e.List) > 0
}
