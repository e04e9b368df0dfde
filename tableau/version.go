package tableau

import (
	"fmt"
	"strconv"
	"strings"
)

// bootstrapVersion is the REST API version used to ask an unknown server
// for its newest version: Server Info exists from 2.4 on.
const bootstrapVersion = "2.4"

// parseVersion splits a REST API version such as "3.24" into its numbers.
func parseVersion(v string) (major, minor int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(v), ".")
	if !ok {
		return 0, 0, fmt.Errorf("%w: REST API version %q is not of the form MAJOR.MINOR", ErrInvalidArgument, v)
	}
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, fmt.Errorf("%w: REST API version %q is not of the form MAJOR.MINOR", ErrInvalidArgument, v)
	}
	return major, minor, nil
}

// CompareVersions compares two REST API versions numerically ("3.9" < "3.24")
// and returns -1, 0 or +1. It returns an error if either is malformed.
func CompareVersions(a, b string) (int, error) {
	am, an, err := parseVersion(a)
	if err != nil {
		return 0, err
	}
	bm, bn, err := parseVersion(b)
	if err != nil {
		return 0, err
	}
	switch {
	case am != bm:
		if am < bm {
			return -1, nil
		}
		return 1, nil
	case an != bn:
		if an < bn {
			return -1, nil
		}
		return 1, nil
	}
	return 0, nil
}

// RequireVersion returns a [*VersionError] (matching [ErrUnsupportedVersion])
// if the session's REST API version is older than need. method names the
// caller in the error, for example "rest.Webhooks.List". Call it before
// sending anything. Before the version is known (no SignIn yet and none
// pinned) it returns [ErrNotSignedIn].
func (s *Session) RequireVersion(method, need string) error {
	have := s.APIVersion()
	if have == "" {
		return fmt.Errorf("%s: %w: the REST API version is not known yet", method, ErrNotSignedIn)
	}
	c, err := CompareVersions(have, need)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if c < 0 {
		return &VersionError{Method: method, Need: need, Have: have}
	}
	return nil
}
