package rest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tableau-go/sdk/tableau"
)

// A fast decoder for list pages. encoding/xml allocates for every token
// and attribute (about 80 allocations per workbook), which made listing
// bound by the client's parsing rather than by the server. This decoder
// scans the page's bytes once and fills the same structs through a
// per-type plan built from their xml tags: attributes of kinds string,
// bool, int, int64 and time.Time; child elements holding attributes
// (struct or pointer to struct); and wrapped lists ("tags>tag"). Anything
// it does not expect makes it give up, and the page is decoded again with
// encoding/xml, so the result never depends on which decoder ran.

var errFastXML = errors.New("rest: page not in the expected shape")

type fieldKind int

const (
	kString fieldKind = iota
	kBool
	kInt
	kTime
)

type attrField struct {
	index int
	kind  fieldKind
}

type kidField struct {
	index int
	item  string // for wrapped lists: the item element ("tag" in tags>tag)
	ptr   bool   // the field is a pointer to a struct
	plan  *plan
}

// plan says how to fill one struct type from an element.
type plan struct {
	attrs map[string]attrField
	kids  map[string]kidField
}

var (
	plansMu sync.Mutex
	plans   = map[reflect.Type]*plan{}
	timeTyp = reflect.TypeFor[time.Time]()
)

// planFor builds (once) the plan of a struct type.
func planFor(t reflect.Type) (*plan, error) {
	plansMu.Lock()
	defer plansMu.Unlock()
	return buildPlan(t)
}

func buildPlan(t reflect.Type) (*plan, error) {
	if p, ok := plans[t]; ok {
		return p, nil
	}
	p := &plan{attrs: map[string]attrField{}, kids: map[string]kidField{}}
	plans[t] = p
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("xml")
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "attr" || strings.HasPrefix(opts, "attr,") {
			var k fieldKind
			switch {
			case f.Type == timeTyp:
				k = kTime
			case f.Type.Kind() == reflect.String:
				k = kString
			case f.Type.Kind() == reflect.Bool:
				k = kBool
			case f.Type.Kind() == reflect.Int || f.Type.Kind() == reflect.Int64:
				k = kInt
			default:
				return nil, fmt.Errorf("rest: fast decoder: field %s.%s has an unsupported type %s", t, f.Name, f.Type)
			}
			p.attrs[name] = attrField{index: i, kind: k}
			continue
		}
		if opts != "" {
			return nil, fmt.Errorf("rest: fast decoder: field %s.%s has unsupported options %q", t, f.Name, opts)
		}
		wrapper, item, wrapped := strings.Cut(name, ">")
		ft := f.Type
		switch {
		case wrapped && ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			sub, err := buildPlan(ft.Elem())
			if err != nil {
				return nil, err
			}
			p.kids[wrapper] = kidField{index: i, item: item, plan: sub}
		case !wrapped && ft.Kind() == reflect.Struct && ft != timeTyp:
			sub, err := buildPlan(ft)
			if err != nil {
				return nil, err
			}
			p.kids[name] = kidField{index: i, plan: sub}
		case !wrapped && ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			sub, err := buildPlan(ft.Elem())
			if err != nil {
				return nil, err
			}
			p.kids[name] = kidField{index: i, ptr: true, plan: sub}
		default:
			return nil, fmt.Errorf("rest: fast decoder: field %s.%s (%s) is not supported", t, f.Name, ft)
		}
	}
	return p, nil
}

// scanner walks the tags of an XML document.
type scanner struct {
	b []byte
	i int
}

type tagKind int

const (
	tagStart tagKind = iota
	tagEnd
	tagEmpty // self-closing
	tagEOF
)

// next returns the next tag, skipping text, comments, CDATA, processing
// instructions and declarations. name is the local name; attrs the raw
// attribute bytes of a start tag.
func (s *scanner) next() (k tagKind, name, attrs []byte, err error) {
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			return tagEOF, nil, nil, nil
		}
		s.i += j + 1
		rest := s.b[s.i:]
		switch {
		case len(rest) == 0:
			return 0, nil, nil, errFastXML
		case rest[0] == '?':
			if e := bytes.Index(rest, []byte("?>")); e >= 0 {
				s.i += e + 2
				continue
			}
			return 0, nil, nil, errFastXML
		case bytes.HasPrefix(rest, []byte("!--")):
			if e := bytes.Index(rest, []byte("-->")); e >= 0 {
				s.i += e + 3
				continue
			}
			return 0, nil, nil, errFastXML
		case rest[0] == '!':
			// CDATA or a declaration: neither is expected in a list page.
			return 0, nil, nil, errFastXML
		case rest[0] == '/':
			e := bytes.IndexByte(rest, '>')
			if e < 0 {
				return 0, nil, nil, errFastXML
			}
			s.i += e + 1
			return tagEnd, local(bytes.TrimSpace(rest[1:e])), nil, nil
		}
		// A start tag: find its end outside quoted values.
		q := byte(0)
		for e := 0; e < len(rest); e++ {
			c := rest[e]
			switch {
			case q != 0:
				if c == q {
					q = 0
				}
			case c == '"' || c == '\'':
				q = c
			case c == '<':
				return 0, nil, nil, errFastXML
			case c == '>':
				body := rest[:e]
				k := tagStart
				if len(body) > 0 && body[len(body)-1] == '/' {
					k, body = tagEmpty, body[:len(body)-1]
				}
				n := bytes.IndexAny(body, " \t\r\n")
				if n < 0 {
					n = len(body)
				}
				s.i += e + 1
				if n == 0 {
					return 0, nil, nil, errFastXML
				}
				return k, local(body[:n]), body[n:], nil
			}
		}
		return 0, nil, nil, errFastXML
	}
}

func local(name []byte) []byte {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// eachAttr calls fn for every name="value" of a start tag's attribute bytes.
func eachAttr(a []byte, fn func(name, value []byte) error) error {
	for {
		i := 0
		for i < len(a) && isSpace(a[i]) {
			i++
		}
		a = a[i:]
		if len(a) == 0 {
			return nil
		}
		eq := bytes.IndexByte(a, '=')
		if eq <= 0 {
			return errFastXML
		}
		name := bytes.TrimSpace(a[:eq])
		a = bytes.TrimLeft(a[eq+1:], " \t\r\n")
		if len(a) == 0 || (a[0] != '"' && a[0] != '\'') {
			return errFastXML
		}
		end := bytes.IndexByte(a[1:], a[0])
		if end < 0 {
			return errFastXML
		}
		if err := fn(name, a[1:1+end]); err != nil {
			return err
		}
		a = a[end+2:]
		if len(a) > 0 && !isSpace(a[0]) {
			return errFastXML
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// unescape decodes the five XML entities and character references; values
// without '&' are copied as they are.
func unescape(v []byte) (string, error) {
	if bytes.IndexByte(v, '&') < 0 {
		return string(v), nil
	}
	var b strings.Builder
	for len(v) > 0 {
		i := bytes.IndexByte(v, '&')
		if i < 0 {
			b.Write(v)
			break
		}
		b.Write(v[:i])
		v = v[i:]
		semi := bytes.IndexByte(v, ';')
		if semi < 0 {
			return "", errFastXML
		}
		ent := string(v[1:semi])
		switch ent {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return "", errFastXML
			}
			if err != nil || n == 0 || n > 0x10FFFF {
				return "", errFastXML
			}
			b.WriteRune(rune(n))
		}
		v = v[semi+1:]
	}
	return b.String(), nil
}

// parseInt parses a decimal integer without allocating.
func parseInt(v []byte) (int64, error) {
	if len(v) == 0 || len(v) > 18 {
		return 0, errFastXML
	}
	neg := v[0] == '-'
	if neg {
		v = v[1:]
		if len(v) == 0 {
			return 0, errFastXML
		}
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, errFastXML
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parseTimeBytes parses "2006-01-02T15:04:05Z" without allocating, and other
// RFC 3339 forms with time.Parse.
func parseTimeBytes(v []byte) (time.Time, error) {
	if len(v) == 20 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':' && v[16] == ':' && v[19] == 'Z' {
		num := func(a, b int) (int, bool) {
			n := 0
			for _, c := range v[a:b] {
				if c < '0' || c > '9' {
					return 0, false
				}
				n = n*10 + int(c-'0')
			}
			return n, true
		}
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 7)
		d, ok3 := num(8, 10)
		h, ok4 := num(11, 13)
		mi, ok5 := num(14, 16)
		s, ok6 := num(17, 19)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61 {
			return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), nil
		}
		return time.Time{}, errFastXML
	}
	return time.Parse(time.RFC3339, string(v))
}

// decode fills v (a struct) from the element whose start tag the scanner
// just returned.
func (p *plan) decode(s *scanner, v reflect.Value, attrs []byte, empty bool) error {
	err := eachAttr(attrs, func(name, value []byte) error {
		f, ok := p.attrs[string(local(name))]
		if !ok {
			return nil // attributes the struct does not keep, as encoding/xml
		}
		fv := v.Field(f.index)
		switch f.kind {
		case kString:
			str, err := unescape(value)
			if err != nil {
				return err
			}
			fv.SetString(str)
		case kBool:
			switch string(value) {
			case "true", "1":
				fv.SetBool(true)
			case "false", "0":
				fv.SetBool(false)
			default:
				return errFastXML
			}
		case kInt:
			n, err := parseInt(bytes.TrimSpace(value))
			if err != nil {
				return err
			}
			fv.SetInt(n)
		case kTime:
			t, err := parseTimeBytes(value)
			if err != nil {
				return errFastXML
			}
			fv.Set(reflect.ValueOf(t))
		}
		return nil
	})
	if err != nil || empty {
		return err
	}
	for {
		k, name, a, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tagEOF:
			return errFastXML
		case tagEnd:
			return nil
		}
		kid, ok := p.kids[string(name)]
		switch {
		case !ok:
			if k == tagStart {
				if err := s.skip(); err != nil {
					return err
				}
			}
		case kid.item != "":
			if k == tagEmpty {
				continue
			}
			if err := kid.decodeList(s, v.Field(kid.index)); err != nil {
				return err
			}
		case kid.ptr:
			fv := v.Field(kid.index)
			if fv.IsNil() {
				fv.Set(reflect.New(fv.Type().Elem()))
			}
			if err := kid.plan.decode(s, fv.Elem(), a, k == tagEmpty); err != nil {
				return err
			}
		default:
			if err := kid.plan.decode(s, v.Field(kid.index), a, k == tagEmpty); err != nil {
				return err
			}
		}
	}
}

// decodeList appends the wrapper's item elements to the slice fv.
func (kid kidField) decodeList(s *scanner, fv reflect.Value) error {
	for {
		k, name, a, err := s.next()
		if err != nil {
			return err
		}
		switch {
		case k == tagEOF:
			return errFastXML
		case k == tagEnd:
			return nil
		case string(name) != kid.item:
			if k == tagStart {
				if err := s.skip(); err != nil {
					return err
				}
			}
			continue
		}
		fv.Set(reflect.Append(fv, reflect.Zero(fv.Type().Elem())))
		if err := kid.plan.decode(s, fv.Index(fv.Len()-1), a, k == tagEmpty); err != nil {
			return err
		}
	}
}

// skip passes over the rest of an element whose start tag was just read.
func (s *scanner) skip() error {
	for depth := 1; depth > 0; {
		k, _, _, err := s.next()
		if err != nil {
			return err
		}
		switch k {
		case tagEOF:
			return errFastXML
		case tagStart:
			depth++
		case tagEnd:
			depth--
		}
	}
	return nil
}

// decodePage decodes a list page: <pagination> and the items of the list
// element plural (each an element named item) into T.
func decodePage[T any](body []byte, plural, item string) (tableau.Page[T], error) {
	var page tableau.Page[T]
	p, err := planFor(reflect.TypeFor[T]())
	if err != nil {
		return page, err
	}
	pp, err := planFor(reflect.TypeFor[tableau.Pagination]())
	if err != nil {
		return page, err
	}
	s := &scanner{b: body}
	k, name, _, err := s.next()
	if err != nil || k != tagStart || string(name) != "tsResponse" {
		return page, errFastXML
	}
	sawList := false
	for {
		k, name, a, err := s.next()
		if err != nil {
			return page, err
		}
		if k == tagEnd || k == tagEOF {
			if k == tagEOF || !sawList {
				return page, errFastXML
			}
			return page, nil
		}
		switch string(name) {
		case "pagination":
			if err := pp.decode(s, reflect.ValueOf(&page.Pagination).Elem(), a, k == tagEmpty); err != nil {
				return page, err
			}
		case plural:
			sawList = true
			if k == tagEmpty {
				continue
			}
			for {
				k, name, a, err := s.next()
				if err != nil {
					return page, err
				}
				if k == tagEnd {
					break
				}
				if k == tagEOF || string(name) != item {
					return page, errFastXML
				}
				var x T
				if err := p.decode(s, reflect.ValueOf(&x).Elem(), a, k == tagEmpty); err != nil {
					return page, err
				}
				page.Items = append(page.Items, x)
			}
		default:
			if k == tagStart {
				if err := s.skip(); err != nil {
					return page, err
				}
			}
		}
	}
}

// bodyPool recycles page buffers.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// fastList is tableau.PagedList with the fast decoder (and encoding/xml as
// the fallback for pages it does not expect).
func fastList[T any](sv service, m string, opts *tableau.ListOptions, plural, item string, elem ...string) *tableau.Pager[T] {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return tableau.ErrorPager[T](err)
	}
	base, err := opts.Query()
	if err != nil {
		return tableau.ErrorPager[T](err)
	}
	return fastPager[T](sv, path, base, opts, plural, item)
}

func fastPager[T any](sv service, path string, base url.Values, opts *tableau.ListOptions, plural, item string) *tableau.Pager[T] {
	fetch := func(ctx context.Context, number, size int) (tableau.Page[T], error) {
		q := make(url.Values, len(base)+2)
		for k, v := range base {
			q[k] = slices.Clone(v)
		}
		q.Set("pageSize", strconv.Itoa(size))
		q.Set("pageNumber", strconv.Itoa(number))
		resp, err := sv.s.Send(ctx, &tableau.Request{Method: http.MethodGet, Path: path, Query: q})
		if err != nil {
			return tableau.Page[T]{}, err
		}
		defer resp.Body.Close()
		buf := bodyPool.Get().(*bytes.Buffer)
		buf.Reset()
		defer bodyPool.Put(buf)
		if _, err := io.Copy(buf, resp.Body); err != nil {
			return tableau.Page[T]{}, fmt.Errorf("rest: GET %s: reading the page: %w", path, err)
		}
		page, err := decodePage[T](buf.Bytes(), plural, item)
		if err == nil {
			return page, nil
		}
		return decodePageXML[T](buf.Bytes(), plural, item, path)
	}
	return tableau.NewPager(fetch, opts)
}

// decodePageXML decodes a page with encoding/xml.
func decodePageXML[T any](body []byte, plural, item, path string) (tableau.Page[T], error) {
	var doc struct {
		Pagination tableau.Pagination `xml:"pagination"`
		List       struct {
			XMLName xml.Name
			Items   []T `xml:",any"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return tableau.Page[T]{}, fmt.Errorf("rest: GET %s: decoding the page: %w", path, err)
	}
	if doc.List.XMLName.Local != plural && len(doc.List.Items) > 0 {
		return tableau.Page[T]{}, fmt.Errorf("rest: GET %s: the page has <%s>, not <%s>", path, doc.List.XMLName.Local, plural)
	}
	return tableau.Page[T]{Items: doc.List.Items, Pagination: doc.Pagination}, nil
}
