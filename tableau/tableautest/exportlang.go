package tableautest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// tableauLanguages are the languages Tableau is localized in (base
// language subtags); an export's language parameter must name one.
var tableauLanguages = []string{"de", "en", "es", "fr", "it", "ja", "ko", "nl", "pt", "sv", "th", "zh"}

// checkExport validates the parameters every export shares (what TSC's
// request options send): maxAge and language. It returns the language as
// a canonical tag ("de-DE"), or "" when none was asked for.
func checkExport(r *http.Request) (string, *apiError) {
	if aerr := checkMaxAge(r); aerr != nil {
		return "", aerr
	}
	return exportLanguage(r)
}

// exportLanguage reads the language parameter: a BCP 47 tag whose
// language Tableau is localized in.
func exportLanguage(r *http.Request) (string, *apiError) {
	v := r.URL.Query().Get("language")
	if v == "" {
		return "", nil
	}
	tag, err := language.Parse(v)
	if err != nil {
		return "", errBadRequest(fmt.Sprintf("The language '%s' is not a language tag.", v))
	}
	if base, _ := tag.Base(); !slices.Contains(tableauLanguages, base.String()) {
		return "", errBadRequest(fmt.Sprintf("The language '%s' is not one Tableau is localized in (%s).", v, strings.Join(tableauLanguages, ", ")))
	}
	return tag.String(), nil
}
