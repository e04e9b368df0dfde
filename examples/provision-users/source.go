package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/rest"
)

// Person is one user the source (an HR file or a directory) says should be
// on the site.
type Person struct {
	Name     string
	Email    string
	SiteRole string
	Groups   []string
	Line     int // CSV line (1 = header), or 0 for a directory entry
}

// RowError is a source row that was refused, with the reason.
type RowError struct {
	Line int    // CSV line; 0 for a directory entry
	Ref  string // the user name or directory DN, when known
	Err  error
}

func (e RowError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Ref, e.Err)
}

// csvColumns are the HR file's required columns (any order, case-insensitive).
var csvColumns = []string{"user", "email", "site_role", "groups"}

// readCSV reads an HR file: a header with user, email, site_role and groups
// (separated by ";"), then one user a line. A malformed row is returned as
// a RowError with its line number and left out entirely, so it is never
// half-applied. A duplicate user keeps its first row.
func readCSV(r io.Reader) ([]Person, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("the CSV file is empty (it needs a header: user,email,site_role,groups)")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range csvColumns {
		if _, ok := col[c]; !ok {
			return nil, nil, fmt.Errorf("the CSV header lacks the column %q (it needs %s)", c, strings.Join(csvColumns, ","))
		}
	}
	var people []Person
	var bad []RowError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("reading the CSV: %w", err)
			}
			bad = append(bad, RowError{Line: pe.StartLine, Err: pe.Err})
			if pe.Err == csv.ErrQuote || pe.Err == csv.ErrBareQuote {
				// The reader cannot find the end of a broken quoted field:
				// what follows would be misread, so stop here.
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			bad = append(bad, RowError{Line: line, Err: fmt.Errorf("%d fields, the header has %d", len(rec), len(header))})
			continue
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		p := Person{Name: get("user"), Email: get("email"), SiteRole: get("site_role"), Line: line}
		for _, g := range strings.Split(get("groups"), ";") {
			if g = strings.TrimSpace(g); g != "" && !slices.Contains(p.Groups, g) {
				p.Groups = append(p.Groups, g)
			}
		}
		if err := p.check(); err != nil {
			bad = append(bad, RowError{Line: line, Ref: p.Name, Err: err})
			continue
		}
		key := strings.ToLower(p.Name)
		if first, dup := seen[key]; dup {
			bad = append(bad, RowError{Line: line, Ref: p.Name, Err: fmt.Errorf("user %q already appears on line %d", p.Name, first)})
			continue
		}
		seen[key] = line
		people = append(people, p)
	}
	return people, bad, nil
}

// check validates one person.
func (p *Person) check() error {
	switch {
	case p.Name == "":
		return errors.New("the user name is empty")
	case strings.ContainsAny(p.Name, "\r\n\t"):
		return fmt.Errorf("the user name %q has a control character", p.Name)
	case p.Email != "" && !rest.ValidEmail(p.Email):
		return fmt.Errorf("the email %q is not an email address", p.Email)
	case !slices.Contains(rest.SiteRoles, p.SiteRole):
		return fmt.Errorf("the site role %q is not one of %s", p.SiteRole, strings.Join(rest.SiteRoles, ", "))
	case p.SiteRole == rest.RoleServerAdministrator:
		return errors.New("the site role ServerAdministrator cannot be provisioned from a file")
	}
	for _, g := range p.Groups {
		if strings.EqualFold(g, "All Users") {
			return errors.New("the group \"All Users\" holds every user; leave it out")
		}
	}
	return nil
}
