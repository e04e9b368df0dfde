package tableautest

import (
	"fmt"
	"net/http"
)

// apiError is a REST API error response: an HTTP status and Tableau's
// <error code><summary/><detail/></error>. Handlers return it through
// writeError; resource files build one with the constructors below or
// with newAPIError for codes of their own.
type apiError struct {
	status  int
	code    string
	summary string
	detail  string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s: %s", e.status, e.code, e.summary, e.detail)
}

// newAPIError returns an error with a Tableau code, summary and detail.
func newAPIError(status int, code, summary, detail string) *apiError {
	return &apiError{status: status, code: code, summary: summary, detail: detail}
}

// Codes and summaries from the REST API reference ("Errors" of each method)
// that the core uses. Resource files may add their own next to their routes.
const (
	codeBadRequest        = "400000" // Bad Request: malformed body or parameter
	codeInvalidPageNumber = "400006" // Bad Request: page number not an integer or < 1
	codeInvalidPageSize   = "400007" // Bad Request: page size not an integer, < 1 or > 1000
	codeInvalidFilter     = "400065" // Bad Request: filter (or sort/fields) expression not valid
	codeNoCredentials     = "401000" // Unauthorized Access: no X-Tableau-Auth header
	codeSigninError       = "401001" // Signin Error: wrong credentials
	codeInvalidToken      = "401002" // Unauthorized Access: token invalid or expired
	codeForbidden         = "403000" // Forbidden (emulator's generic code)
	codeSameSite          = "403070" // switchSite to the site already signed in to
	codeSiteNotFound      = "404000" // Resource Not Found: site
	codeResourceNotFound  = "404001" // Resource Not Found: no such endpoint
	codeUserNotFound      = "404002" // Resource Not Found: user
	codeVersionNotFound   = "404003" // Resource Not Found: API version not served
	codeProjectNotFound   = "404005" // Resource Not Found: project
	codeMethodNotAllowed  = "405000" // Method Not Allowed
	codeSiteNameConflict  = "409001" // Resource Conflict: a site with that name exists
	codeSiteURLConflict   = "409002" // Resource Conflict: a site with that content URL exists
	codeProjectConflict   = "409006" // Resource Conflict: project name taken under that parent
	codeTooManyRequests   = "429000" // Too Many Requests (fault injection)
)

func errBadRequest(detail string) *apiError {
	return newAPIError(http.StatusBadRequest, codeBadRequest, "Bad Request", detail)
}

func errForbidden(detail string) *apiError {
	return newAPIError(http.StatusForbidden, codeForbidden, "Forbidden", detail)
}

func errSignin() *apiError {
	return newAPIError(http.StatusUnauthorized, codeSigninError, "Signin Error",
		"Error signing in to Tableau Server")
}

func errNotFound(code, what, id string) *apiError {
	return newAPIError(http.StatusNotFound, code, "Resource Not Found",
		fmt.Sprintf("%s '%s' could not be found.", what, id))
}

func errConflict(code, detail string) *apiError {
	return newAPIError(http.StatusConflict, code, "Resource Conflict", detail)
}

// errorElem renders <error code><summary/><detail/></error>.
func errorElem(e *apiError) *elem {
	return newElem("error").set("code", e.code).add(
		newElem("summary").withText(e.summary),
		newElem("detail").withText(e.detail),
	)
}

// writeError writes e as a <tsResponse><error/></tsResponse> document.
func writeError(w http.ResponseWriter, r *http.Request, e *apiError) {
	writeXML(w, r, e.status, errorElem(e))
}
