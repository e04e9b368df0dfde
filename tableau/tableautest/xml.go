package tableautest

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
)

// Namespace is the XML namespace of every REST API request and response.
const Namespace = "http://tableau.com/api"

// elem is one XML element of a response, built in code so attribute order is
// stable and the fields query parameter can prune it. Attributes and children
// marked def belong to the resource's default field set (fields=_default_).
type elem struct {
	name  string
	attrs []attr
	kids  []*elem
	text  string
	def   bool // part of the default field set (for children)
}

// attr is one attribute of an elem.
type attr struct {
	name, value string
	def         bool // part of the default field set
}

// newElem returns an element that belongs to its parent's default fields.
func newElem(name string) *elem { return &elem{name: name, def: true} }

// set adds a default attribute and returns e for chaining.
func (e *elem) set(name, value string) *elem {
	e.attrs = append(e.attrs, attr{name: name, value: value, def: true})
	return e
}

// setIf adds a default attribute when value is not empty.
func (e *elem) setIf(name, value string) *elem {
	if value != "" {
		e.set(name, value)
	}
	return e
}

// extra adds an attribute that only fields=_all_ (or naming it) returns.
func (e *elem) extra(name, value string) *elem {
	e.attrs = append(e.attrs, attr{name: name, value: value})
	return e
}

// add appends child elements and returns e.
func (e *elem) add(kids ...*elem) *elem {
	e.kids = append(e.kids, kids...)
	return e
}

// withText sets the element's character data.
func (e *elem) withText(s string) *elem {
	e.text = s
	return e
}

func boolStr(b bool) string { return strconv.FormatBool(b) }

// write appends the element, indented by depth, to b.
func (e *elem) write(b *bytes.Buffer, depth int) {
	indent := strings.Repeat("  ", depth)
	b.WriteString(indent)
	b.WriteByte('<')
	b.WriteString(e.name)
	for _, a := range e.attrs {
		b.WriteByte(' ')
		b.WriteString(a.name)
		b.WriteString(`="`)
		xml.EscapeText(b, []byte(a.value)) //nolint:errcheck // bytes.Buffer never fails
		b.WriteByte('"')
	}
	switch {
	case len(e.kids) == 0 && e.text == "":
		b.WriteString("/>\n")
	case len(e.kids) == 0:
		b.WriteByte('>')
		xml.EscapeText(b, []byte(e.text)) //nolint:errcheck
		b.WriteString("</" + e.name + ">\n")
	default:
		b.WriteString(">\n")
		for _, k := range e.kids {
			k.write(b, depth+1)
		}
		b.WriteString(indent + "</" + e.name + ">\n")
	}
}

// schemaLocation returns the xsi:schemaLocation value for an API version.
func schemaLocation(version string) string {
	return Namespace + " https://help.tableau.com/samples/en-us/rest_api/ts-api_" +
		strings.ReplaceAll(version, ".", "_") + ".xsd"
}

// marshalResponse renders kids inside a <tsResponse> root in the REST API namespace.
func marshalResponse(version string, kids ...*elem) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0' encoding='UTF-8'?>\n")
	root := &elem{name: "tsResponse", attrs: []attr{
		{name: "xmlns", value: Namespace},
		{name: "xmlns:xsi", value: "http://www.w3.org/2001/XMLSchema-instance"},
		{name: "xsi:schemaLocation", value: schemaLocation(version)},
	}}
	root.kids = kids
	if len(kids) == 0 {
		// An empty tsResponse still gets an explicit end tag, as Tableau writes it.
		b.WriteString(`<tsResponse xmlns="` + Namespace + `" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="` + schemaLocation(version) + `"></tsResponse>` + "\n")
		return b.Bytes()
	}
	root.write(&b, 0)
	return b.Bytes()
}

// writeXML writes a <tsResponse> with the given status and children.
func writeXML(w http.ResponseWriter, r *http.Request, status int, kids ...*elem) {
	body := marshalResponse(apiVersionOf(r), kids...)
	w.Header().Set("Content-Type", "application/xml;charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}

// paginationElem renders <pagination pageNumber pageSize totalAvailable/>.
func paginationElem(p Page) *elem {
	return newElem("pagination").
		set("pageNumber", strconv.Itoa(p.Number)).
		set("pageSize", strconv.Itoa(p.Size)).
		set("totalAvailable", strconv.Itoa(p.Total))
}
