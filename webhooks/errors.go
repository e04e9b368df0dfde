package webhooks

import (
	"errors"
	"fmt"
	"time"
)

// Sentinel errors. Match them with errors.Is.
var (
	// ErrUnknownEvent: a name that is not in Tableau's event catalogue.
	ErrUnknownEvent = errors.New("webhooks: unknown event")
	// ErrBadPayload: a request body that is not a Tableau webhook payload.
	ErrBadPayload = errors.New("webhooks: bad payload")
	// ErrNotConfirmed: a [Confirmer] found that the event did not happen.
	// A Confirmer returns an error wrapping it to have the request refused.
	ErrNotConfirmed = errors.New("webhooks: event not confirmed")
	// ErrClosed: the handler has been closed.
	ErrClosed = errors.New("webhooks: handler closed")
)

type unknownEventError struct{ name string }

func (e *unknownEventError) Error() string {
	return fmt.Sprintf("webhooks: unknown event %q (neither an event_type nor a webhook-source name)", e.name)
}

func (e *unknownEventError) Unwrap() error { return ErrUnknownEvent }

// PayloadError tells what is wrong with a request body. It wraps
// [ErrBadPayload].
type PayloadError struct {
	// Field is the JSON field at fault, or "" for the body as a whole.
	Field string
	// Reason says what is wrong.
	Reason string
	// Err is the underlying decoding error, if any.
	Err error
}

func (e *PayloadError) Error() string {
	msg := "webhooks: bad payload"
	if e.Field != "" {
		msg += ": field " + e.Field
	}
	msg += ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the underlying error.
func (e *PayloadError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrBadPayload, e.Err}
	}
	return []error{ErrBadPayload}
}

// permanentError marks a delivery failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent wraps err to tell the handler not to retry the delivery: the event
// is moved to the dead letters for that receiver (see [Handler.DeadLetters]).
// Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err was marked with [Permanent].
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfterError carries the delay a receiver's server asked for.
type retryAfterError struct {
	after time.Duration
	err   error
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter wraps err to ask for the next attempt no sooner than d from now
// (for instance from an HTTP Retry-After header). RetryAfter(d, nil) is nil.
func RetryAfter(d time.Duration, err error) error {
	if err == nil {
		return nil
	}
	return &retryAfterError{after: d, err: err}
}

// retryAfterOf returns the delay asked for by a RetryAfter error, if any.
func retryAfterOf(err error) (time.Duration, bool) {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after, true
	}
	return 0, false
}
