package tableautest

import (
	"net/http"
	"strings"
)

func (s *Server) routesServerInfo(rt *router) {
	rt.public("GET", "serverinfo", s.serverInfo)
	rt.public("GET", "serverInfo", s.serverInfo) // tableauserverclient spells it so
}

// buildNumber derives a build number shaped like Tableau's ("20242.24.0101.0000").
func (s *Server) buildNumber() string {
	parts := strings.SplitN(s.opts.ProductVersion, ".", 3)
	if len(parts) < 2 {
		return s.opts.ProductVersion
	}
	return parts[0] + parts[1] + ".24.0101.0000"
}

// serverInfo answers GET /api/{v}/serverinfo without sign-in, with the
// elements of the REST API schema's serverInfo type.
func (s *Server) serverInfo(w http.ResponseWriter, r *http.Request) {
	writeXML(w, r, http.StatusOK, newElem("serverInfo").add(
		newElem("productVersion").set("build", s.buildNumber()).withText(s.opts.ProductVersion),
		newElem("prepConductorVersion").withText(s.buildNumber()),
		newElem("restApiVersion").withText(s.opts.APIVersion),
		newElem("platform").withText("linux"),
		newElem("serverSettings").add(
			newElem("oAuthEnabled").withText("true"),
			newElem("sheetImageMaxAgeFloor").withText("1"),
			newElem("sheetImageMaxAgeCeiling").withText("60"),
			newElem("offlineInteractionSupportedPhase").withText("0"),
		),
	))
}
