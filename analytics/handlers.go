package analytics

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	sdk "github.com/tableau-go/sdk"
)

// handleInfo answers GET /info: the server's description and features.
func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	features := map[string]any{
		"evaluate_enabled": !s.opts.DisableEvaluate,
		"gzip_enabled":     !s.opts.DisableGzip,
		"arrow_enabled":    false,
	}
	if s.opts.Credentials != nil {
		features["authentication"] = map[string]any{
			"required": true,
			"methods":  map[string]any{"basic-auth": map[string]any{}},
		}
	}
	info := map[string]any{
		"description":    s.opts.Description,
		"creation_time":  strconv.FormatInt(s.created.Unix(), 10),
		"state_path":     "",
		"server_version": "tableau-go/" + sdk.Version,
		"name":           s.opts.Name,
		"versions":       map[string]any{"v1": map[string]any{"features": features}},
	}
	b, _ := json.Marshal(info)
	writeJSON(w, b)
}

// endpointInfo is one entry of GET /endpoints, in TabPy's shape.
func endpointInfo(f *function) map[string]any {
	return map[string]any{
		"description":        f.description,
		"docstring":          f.docstring(),
		"type":               "model",
		"version":            1,
		"dependencies":       []string{},
		"target":             nil,
		"creation_time":      f.created.Unix(),
		"last_modified_time": f.created.Unix(),
		"schema":             nil,
		"is_public":          true,
	}
}

// handleEndpoints answers GET /endpoints (?type=model|alias filters).
func (s *Server) handleEndpoints(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	if t := r.URL.Query().Get("type"); t == "" || t == "model" {
		s.mu.RLock()
		for name, f := range s.funcs {
			out[name] = endpointInfo(f)
		}
		s.mu.RUnlock()
	}
	b, _ := json.Marshal(out)
	writeJSON(w, b)
}

// handleEndpoint answers GET /endpoints/{name} with {name: info}.
func (s *Server) handleEndpoint(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	f, ok := s.lookup(name)
	if !ok {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Message: "Unknown endpoint",
			Info: fmt.Sprintf("Endpoint %s is not found", name)})
		return
	}
	b, _ := json.Marshal(map[string]any{name: endpointInfo(f)})
	writeJSON(w, b)
}

// handleStatus answers GET /status: every function is loaded.
func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	s.mu.RLock()
	for name := range s.funcs {
		out[name] = map[string]any{"version": 1, "type": "model", "status": "LoadSuccessful", "last_error": nil}
	}
	s.mu.RUnlock()
	b, _ := json.Marshal(out)
	writeJSON(w, b)
}

// evaluateRequest is the body of POST /evaluate.
type evaluateRequest struct {
	Script *string          `json:"script"`
	Data   *json.RawMessage `json:"data"`
}

// handleEvaluate answers POST /evaluate.
func (s *Server) handleEvaluate(w http.ResponseWriter, r *http.Request) {
	if s.opts.DisableEvaluate {
		s.writeError(w, r, &Error{Status: http.StatusNotFound,
			Message: "Ad-hoc scripts have been disabled on this analytics extension, please contact your administrator."})
		return
	}
	body, e := s.readBody(r)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	sc, args, names, e := decodeEvaluate(body)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	if sc.probe {
		writeJSON(w, []byte("1"))
		return
	}
	f, ok := s.lookup(sc.name)
	if !ok {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Message: "Error processing script",
			Info: fmt.Sprintf("no function is registered under the name %q; GET /endpoints lists them", sc.name)})
		return
	}
	out, err := s.invoke(r.Context(), f, args, names)
	if err != nil {
		s.writeError(w, r, callError(err, "Error processing script"))
		return
	}
	writeJSON(w, out)
}

// decodeEvaluate parses an /evaluate body: the JSON, the _argN data and
// the script, and returns the raw arguments the script passes, in order.
func decodeEvaluate(body []byte) (script, [][]byte, []string, *Error) {
	var req evaluateRequest
	if err := json.Unmarshal(quoteNonFinite(body), &req); err != nil {
		return script{}, nil, nil, badRequest("Failed to decode input body", err.Error())
	}
	if req.Script == nil {
		return script{}, nil, nil, badRequest("Script is empty.", supportedScripts)
	}
	data := map[string]json.RawMessage{}
	if req.Data != nil && string(trimSpace(*req.Data)) != "null" {
		if err := json.Unmarshal(*req.Data, &data); err != nil {
			return script{}, nil, nil, badRequest("Script parameters need to be provided as a dictionary.", err.Error())
		}
		for i := range len(data) {
			if _, ok := data["_arg"+strconv.Itoa(i+1)]; !ok {
				keys := make([]string, 0, len(data))
				for k := range data {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				return script{}, nil, nil, badRequest("Variables names should follow the format _arg1, _arg2, _argN",
					"got "+strings.Join(keys, ", "))
			}
		}
	}
	sc, err := parseScript(*req.Script)
	if err != nil {
		return script{}, nil, nil, err.(*Error)
	}
	args := make([][]byte, len(sc.args))
	names := make([]string, len(sc.args))
	for i, n := range sc.args {
		names[i] = "_arg" + strconv.Itoa(n)
		raw, ok := data[names[i]]
		if !ok {
			return script{}, nil, nil, argError("the script passes %s but the request's data has only %d argument(s)", names[i], len(data))
		}
		args[i] = raw
	}
	return sc, args, names, nil
}

// handleQuery answers POST (and GET) /query/{name} with
// {"response": ..., "version": 1, "model": name, "uuid": ...}.
func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	body, e := s.readBody(r)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	var req map[string]json.RawMessage
	if err := json.Unmarshal(quoteNonFinite(body), &req); err != nil {
		s.writeError(w, r, badRequest("Invalid Input Data", "the body must be a JSON object with a key called \"data\": "+err.Error()))
		return
	}
	data, ok := req["data"]
	if !ok {
		s.writeError(w, r, badRequest("Invalid Input Data", "Input data must be a dictionary with a key called \"data\""))
		return
	}
	f, ok := s.lookup(name)
	if !ok {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Message: "UnknownURI",
			Info: fmt.Sprintf("Endpoint '%s' does not exist", name)})
		return
	}
	args, names, e := queryArgs(f, data)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	out, err := s.invoke(r.Context(), f, args, names)
	if err != nil {
		s.writeError(w, r, callError(err, fmt.Sprintf("Error querying function '%s'", name)))
		return
	}
	b := make([]byte, 0, len(out)+len(name)+96)
	b = append(b, `{"response":`...)
	b = append(b, out...)
	b = append(b, `,"version":1,"model":`...)
	b = appendString(b, name)
	b = append(b, `,"uuid":"`...)
	b = append(b, newUUID()...)
	b = append(b, `"}`...)
	writeJSON(w, b)
}

// queryArgs reads /query data: a list of positional arguments, or an
// object of named ones (the function's parameter names or _argN).
func queryArgs(f *function, data json.RawMessage) ([][]byte, []string, *Error) {
	data = trimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, nil, nil
	}
	switch data[0] {
	case '[':
		var args [][]byte
		if _, err := scanArray(data, func(_ int, tok []byte) error {
			args = append(args, tok)
			return nil
		}); err != nil {
			return nil, nil, badRequest("Invalid Input Data", "data is not a valid list of arguments")
		}
		return args, nil, nil
	case '{':
		var named map[string]json.RawMessage
		if err := json.Unmarshal(data, &named); err != nil {
			return nil, nil, badRequest("Invalid Input Data", err.Error())
		}
		args := make([][]byte, len(f.params))
		used := 0
		for i, p := range f.params {
			raw, ok := named[p]
			alias := "_arg" + strconv.Itoa(i+1)
			if !ok {
				raw, ok = named[alias]
			} else if _, both := named[alias]; both && alias != p {
				return nil, nil, argError("%s is given twice, as %s and %s", p, p, alias)
			}
			if !ok {
				return nil, nil, argError("%s: missing argument %s (parameters: %s)", f.name, p, strings.Join(f.params, ", "))
			}
			args[i] = raw
			used++
		}
		if used != len(named) {
			var extra []string
			for k := range named {
				if !contains(f.params, k) && !isAlias(k, len(f.params)) {
					extra = append(extra, k)
				}
			}
			sort.Strings(extra)
			return nil, nil, argError("%s: unexpected argument(s) %s (parameters: %s)", f.name, strings.Join(extra, ", "), strings.Join(f.params, ", "))
		}
		return args, nil, nil
	}
	return nil, nil, badRequest("Invalid Input Data", "Query parameter needs to be a dictionary or a list, got "+tokenKind(data))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func isAlias(k string, n int) bool {
	for i := range n {
		if k == "_arg"+strconv.Itoa(i+1) {
			return true
		}
	}
	return false
}

func newUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
