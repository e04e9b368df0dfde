package tableau

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestParseErrorXML(t *testing.T) {
	body := `<?xml version='1.0' encoding='UTF-8'?><tsResponse xmlns="http://tableau.com/api"><error code="404002"><summary>Resource Not Found</summary><detail>Project 'x' could not be found.</detail></error></tsResponse>`
	e := parseError(404, strings.NewReader(body), "GET", "https://h/api/3.24/sites/s/projects/x")
	if e.Code != "404002" || e.Summary != "Resource Not Found" || e.Detail != "Project 'x' could not be found." || e.HTTPStatus != 404 {
		t.Fatalf("%+v", e)
	}
	if !errors.Is(e, ErrNotFound) || errors.Is(e, ErrConflict) {
		t.Fatal("Is")
	}
	want := "tableau: GET https://h/api/3.24/sites/s/projects/x: HTTP 404 (404002): Resource Not Found: Project 'x' could not be found."
	if e.Error() != want {
		t.Fatalf("Error() = %q", e.Error())
	}
	var wrapped error = fmt.Errorf("listing: %w", e)
	var as *Error
	if !errors.As(wrapped, &as) || as.Code != "404002" {
		t.Fatal("As")
	}
}

func TestParseErrorNonXMLBounded(t *testing.T) {
	big := "<html><body>" + strings.Repeat("Gateway Timeout ", 100000) + "</body></html>"
	r := strings.NewReader(big)
	e := parseError(504, r, "GET", "u")
	if e.Summary != "Gateway Timeout" || e.Code != "" {
		t.Fatalf("%+v", e)
	}
	if len(e.Detail) > maxErrorDetail+8 || !strings.HasPrefix(e.Detail, "<html><body>Gateway Timeout") {
		t.Fatalf("detail (%d bytes) = %.80q", len(e.Detail), e.Detail)
	}
	if read := len(big) - r.Len(); read > maxErrorBody {
		t.Fatalf("read %d bytes of the body, limit %d", read, maxErrorBody)
	}
	if !errors.Is(e, ErrServer) {
		t.Fatal("5xx is ErrServer")
	}
	// Invalid UTF-8 and an empty body.
	e = parseError(400, strings.NewReader("\xff\xfebad"), "GET", "u")
	if !strings.Contains(e.Detail, "bad") || !errors.Is(e, ErrBadRequest) {
		t.Fatalf("%+v", e)
	}
	e = parseError(403, nil, "GET", "u")
	if e.Summary != "Forbidden" || !errors.Is(e, ErrForbidden) {
		t.Fatalf("%+v", e)
	}
}

func TestErrorIsMapping(t *testing.T) {
	for status, want := range map[int]error{400: ErrBadRequest, 401: ErrUnauthorized, 403: ErrForbidden, 404: ErrNotFound,
		409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 503: ErrServer} {
		e := &Error{HTTPStatus: status}
		if !errors.Is(e, want) {
			t.Errorf("%d is not %v", status, want)
		}
		for _, other := range []error{ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer, ErrUnsupportedVersion} {
			if other != want && errors.Is(e, other) {
				t.Errorf("%d is also %v", status, other)
			}
		}
	}
	ve := &VersionError{Method: "m", Need: "3.20", Have: "3.9"}
	if !errors.Is(ve, ErrUnsupportedVersion) || errors.Is(ve, ErrNotFound) {
		t.Fatal("VersionError.Is")
	}
}

// FuzzParseError: any body gives an *Error without panicking, within bounds.
func FuzzParseError(f *testing.F) {
	f.Add(400, []byte(`<tsResponse><error code="400000"><summary>Bad</summary><detail>d</detail></error></tsResponse>`))
	f.Add(500, []byte(`<html>oops</html>`))
	f.Add(401, []byte(`<tsResponse><error code="401002">`))
	f.Add(404, []byte{0xff, 0x00, '<'})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseError(status, strings.NewReader(string(body)), "GET", "u")
		if e == nil || e.HTTPStatus != status {
			t.Fatal("nil or wrong status")
		}
		if len(e.Detail) > maxErrorBody {
			t.Fatal("detail too long")
		}
		_ = e.Error()
	})
}

// FuzzRetryAfter: any header value parses or is refused, never negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := retryAfter(v, timeZero); ok && d < 0 {
			t.Fatalf("retryAfter(%q) = %v", v, d)
		}
	})
}

// FuzzRedirectTarget: whatever the Location, an accepted target keeps the
// scheme and a host of the same registrable domain.
func FuzzRedirectTarget(f *testing.F) {
	for _, s := range []string{"https://prod-useast-a.online.tableau.com/api/3.24/auth/signin", "http://online.tableau.com/x",
		"https://evil.example/x", "//evil.example/x", "/relative", "https://online.tableau.com.evil.example/",
		"https://user:pw@online.tableau.com/", "https://[::1]/", "https://ONLINE.tableau.com./x", "javascript:alert(1)", "https://tableau.com/"} {
		f.Add(s)
	}
	from, _ := url.Parse("https://online.tableau.com/api/3.24/auth/signin")
	f.Fuzz(func(t *testing.T, loc string) {
		to, err := redirectTarget(from, loc)
		if err != nil {
			return
		}
		if to.Scheme != "https" || to.User != nil || !sameSite("online.tableau.com", to.Hostname()) {
			t.Fatalf("accepted %q -> %s", loc, to)
		}
		host := strings.TrimSuffix(strings.ToLower(to.Hostname()), ".")
		if host != "tableau.com" && !strings.HasSuffix(host, ".tableau.com") {
			t.Fatalf("accepted unrelated host %q", host)
		}
	})
}

// FuzzParseExpiration: estimatedTimeToExpiration parses or is refused, never negative.
func FuzzParseExpiration(f *testing.F) {
	for _, s := range []string{"1:00:00", "361:59:59", "7200", "", "a:b:c", "-1:00:00", "99999999999:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if d, ok := parseExpiration(v); ok && d < 0 {
			t.Fatalf("parseExpiration(%q) = %v", v, d)
		}
	})
}
