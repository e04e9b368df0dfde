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
	writeJSON(w, r, b)
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
	writeJSON(w, r, b)
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
	writeJSON(w, r, b)
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
	writeJSON(w, r, b)
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
	defer s.putBuf(body) // decoded values are copies
	var memo floatMemo
	v, e := validateBody(body, &memo)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	sc, args, names, e := decodeEvaluate(v)
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	if sc.probe {
		writeJSON(w, r, []byte("1"))
		return
	}
	f, ok := s.lookup(sc.name)
	if !ok {
		s.writeError(w, r, &Error{Status: http.StatusNotFound, Message: "Error processing script",
			Info: fmt.Sprintf("no function is registered under the name %q; GET /endpoints lists them", sc.name)})
		return
	}
	ca, err := f.decode(args, names, &memo)
	if err != nil {
		s.writeError(w, r, callError(err, "Error processing script"))
		return
	}
	out, ok := s.invoke(w, r, f, ca, "Error processing script")
	if !ok {
		return
	}
	writeJSON(w, r, out)
	s.putBuf(out)
}

// decodeEvaluate reads an /evaluate body: the script and the _argN data,
// and returns the arguments the script passes, in order.
func decodeEvaluate(v []byte) (script, [][]byte, []string, *Error) {
	if len(v) == 0 || v[0] != '{' {
		return script{}, nil, nil, badRequest("Failed to decode input body", "the body must be a JSON object with \"script\" and \"data\", got "+typeName(v))
	}
	top := objectMembers(v)
	sv := lookupMember(top, "script")
	if sv == nil || isNull(sv) {
		return script{}, nil, nil, badRequest("Script is empty.", supportedScripts)
	}
	src, ok := rawString(sv)
	if !ok {
		return script{}, nil, nil, badRequest("Failed to decode input body", "script must be a string, got "+typeName(sv))
	}
	data := map[string][]byte{}
	if dv := lookupMember(top, "data"); dv != nil && !isNull(dv) {
		if dv[0] != '{' {
			return script{}, nil, nil, badRequest("Script parameters need to be provided as a dictionary.", "data is "+typeName(dv))
		}
		for _, m := range objectMembers(dv) {
			data[m.key] = m.val
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
	sc, perr := parseScript(src)
	if perr != nil {
		return script{}, nil, nil, perr.(*Error)
	}
	args := make([][]byte, len(sc.args))
	names := make([]string, len(sc.args))
	for i, n := range sc.args {
		names[i] = "_arg" + strconv.Itoa(n)
		a, ok := data[names[i]]
		if !ok {
			return script{}, nil, nil, argError("the script passes %s but the request's data has only %d argument(s)", names[i], len(data))
		}
		args[i] = a
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
	var memo floatMemo
	v, e := validateBody(body, &memo)
	if e != nil {
		s.putBuf(body)
		e.Message = "Invalid Input Data"
		s.writeError(w, r, e)
		return
	}
	ca, f, e := s.decodeQuery(name, v, &memo)
	s.putBuf(body) // decoded values are copies
	if e != nil {
		s.writeError(w, r, e)
		return
	}
	out, ok := s.invoke(w, r, f, ca, "Error querying function '"+name+"'")
	if !ok {
		return
	}
	b := append(s.getBuf(), `{"response":`...)
	b = append(b, out...)
	s.putBuf(out)
	b = append(b, `,"version":1,"model":`...)
	b = appendString(b, name)
	b = append(b, `,"uuid":"`...)
	b = append(b, newUUID()...)
	b = append(b, `"}`...)
	writeJSON(w, r, b)
	s.putBuf(b)
}

func (s *Server) decodeQuery(name string, v []byte, memo *floatMemo) (callArgs, *function, *Error) {
	if len(v) == 0 || v[0] != '{' {
		return callArgs{}, nil, badRequest("Invalid Input Data", "Input data must be a dictionary with a key called \"data\", got "+typeName(v))
	}
	data := lookupMember(objectMembers(v), "data")
	if data == nil {
		return callArgs{}, nil, badRequest("Invalid Input Data", "Input data must be a dictionary with a key called \"data\"")
	}
	f, ok := s.lookup(name)
	if !ok {
		return callArgs{}, nil, &Error{Status: http.StatusNotFound, Message: "UnknownURI",
			Info: fmt.Sprintf("Endpoint '%s' does not exist", name)}
	}
	args, e := queryArgs(f, data)
	if e != nil {
		return callArgs{}, nil, e
	}
	ca, err := f.decode(args, nil, memo)
	if err != nil {
		return callArgs{}, nil, callError(err, "Invalid arguments")
	}
	return ca, f, nil
}

// queryArgs reads /query data: a list of positional arguments, or an
// object of named ones (the function's parameter names or _argN).
func queryArgs(f *function, data []byte) ([][]byte, *Error) {
	switch data[0] {
	case 'n':
		return nil, nil
	case '[':
		return arrayElements(data), nil
	case '{':
		named := map[string][]byte{}
		for _, m := range objectMembers(data) {
			named[m.key] = m.val
		}
		args := make([][]byte, len(f.params))
		for i, p := range f.params {
			a, ok := named[p]
			alias := "_arg" + strconv.Itoa(i+1)
			if !ok {
				a, ok = named[alias]
			} else if _, both := named[alias]; both && alias != p {
				return nil, argError("%s is given twice, as %s and %s", p, p, alias)
			}
			if !ok {
				return nil, argError("%s: missing argument %s (parameters: %s)", f.name, p, strings.Join(f.params, ", "))
			}
			args[i] = a
		}
		var extra []string
		for k := range named {
			if !contains(f.params, k) && !isAlias(k, len(f.params)) {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			sort.Strings(extra)
			return nil, argError("%s: unexpected argument(s) %s (parameters: %s)", f.name, strings.Join(extra, ", "), strings.Join(f.params, ", "))
		}
		return args, nil
	}
	return nil, badRequest("Invalid Input Data", "Query parameter needs to be a dictionary or a list, got "+typeName(data))
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
