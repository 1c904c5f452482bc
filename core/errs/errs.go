// Package errs gives every Guichet error a kind, so domain code can say what
// went wrong without knowing HTTP. Only the HTTP edges (core/web) map kinds to
// status codes. This package imports nothing from Guichet.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error for the edges.
type Kind string

// The kinds an edge knows how to answer.
const (
	Invalid      Kind = "invalid"
	NotFound     Kind = "not_found"
	Conflict     Kind = "conflict"
	Forbidden    Kind = "forbidden"
	Unauthorized Kind = "unauthorized"
	TooLarge     Kind = "too_large"
	RateLimited  Kind = "rate_limited"
	Unavailable  Kind = "unavailable"
	Internal     Kind = "internal"
)

// Error is an error with a kind, a message safe to show to the caller, and,
// for invalid input, a message per offending field.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
	Err     error // the underlying cause, never shown to callers
}

func (e *Error) Error() string {
	msg := string(e.Kind) + ": " + e.Message
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k+": "+e.Fields[k])
		}
		sort.Strings(keys)
		msg += " (" + strings.Join(keys, "; ") + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of the given kind with a formatted, caller-safe message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap keeps cause as the hidden reason behind a caller-safe message.
func Wrap(kind Kind, cause error, message string) *Error {
	return &Error{Kind: kind, Message: message, Err: cause}
}

// Fields builds an Invalid error that names each offending field.
func Fields(message string, fields map[string]string) *Error {
	return &Error{Kind: Invalid, Message: message, Fields: fields}
}

// KindOf returns the kind of the first *Error in err's chain, Internal for any
// other non-nil error, and "" for nil.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err has the given kind.
func Is(err error, kind Kind) bool { return err != nil && KindOf(err) == kind }

// As returns the first *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
