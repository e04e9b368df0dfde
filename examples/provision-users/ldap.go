package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// ldapOptions say where the users come from in a directory.
type ldapOptions struct {
	URL      string // ldap://host:389 or ldaps://host:636
	BindDN   string
	Password string // from an environment variable; never printed
	BaseDN   string
	// Group is the cn of the groupOfNames whose members should be on the site.
	Group string
	// RoleAttr is the attribute holding a member's site role. Default: employeeType.
	RoleAttr string
	// DefaultRole is used when a member has no RoleAttr. Default: Viewer.
	DefaultRole string
	// Timeout of the directory's answers. Default: 30s.
	Timeout time.Duration
}

// readLDAP reads the members of a directory group: each member's uid (the
// Tableau user name), mail, site role (RoleAttr) and the other groups
// (groupOfNames under BaseDN) it belongs to. Members that cannot be read
// or are malformed are returned as RowErrors with their DN.
func readLDAP(ctx context.Context, o ldapOptions) ([]Person, []RowError, error) {
	if o.URL == "" || o.BaseDN == "" || o.Group == "" {
		return nil, nil, errors.New("LDAP needs -ldap-url, -ldap-base and -ldap-group")
	}
	if o.RoleAttr == "" {
		o.RoleAttr = "employeeType"
	}
	if o.DefaultRole == "" {
		o.DefaultRole = "Viewer"
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	conn, err := ldap.DialURL(o.URL, ldap.DialWithDialer(dialer(ctx, o.Timeout)))
	if err != nil {
		return nil, nil, fmt.Errorf("LDAP: connecting to %s: %w", o.URL, err)
	}
	defer conn.Close()
	conn.SetTimeout(o.Timeout)
	if o.BindDN != "" {
		if err := conn.Bind(o.BindDN, o.Password); err != nil {
			return nil, nil, fmt.Errorf("LDAP: binding as %s: %w", o.BindDN, err)
		}
	}
	groupFilter := fmt.Sprintf("(&(objectClass=groupOfNames)(cn=%s))", ldap.EscapeFilter(o.Group))
	res, err := conn.Search(ldap.NewSearchRequest(o.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 2, 0, false,
		groupFilter, []string{"member"}, nil))
	if err != nil {
		return nil, nil, fmt.Errorf("LDAP: searching for group %q: %w", o.Group, err)
	}
	if len(res.Entries) != 1 {
		return nil, nil, fmt.Errorf("LDAP: %d groups named %q under %s, want exactly 1", len(res.Entries), o.Group, o.BaseDN)
	}
	var people []Person
	var bad []RowError
	seen := map[string]bool{}
	for _, dn := range res.Entries[0].GetAttributeValues("member") {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		p, err := readMember(conn, o, dn)
		if err == nil {
			err = p.check()
		}
		if err != nil {
			bad = append(bad, RowError{Ref: dn, Err: err})
			continue
		}
		if seen[strings.ToLower(p.Name)] {
			bad = append(bad, RowError{Ref: dn, Err: fmt.Errorf("uid %q belongs to two entries", p.Name)})
			continue
		}
		seen[strings.ToLower(p.Name)] = true
		people = append(people, p)
	}
	slices.SortFunc(people, func(a, b Person) int { return strings.Compare(a.Name, b.Name) })
	return people, bad, nil
}

func readMember(conn *ldap.Conn, o ldapOptions, dn string) (Person, error) {
	res, err := conn.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 1, 0, false,
		"(objectClass=*)", []string{"uid", "mail", o.RoleAttr}, nil))
	if err != nil {
		return Person{}, fmt.Errorf("reading the member: %w", err)
	}
	if len(res.Entries) != 1 {
		return Person{}, errors.New("the member entry does not exist")
	}
	e := res.Entries[0]
	p := Person{Name: e.GetAttributeValue("uid"), Email: e.GetAttributeValue("mail"), SiteRole: e.GetAttributeValue(o.RoleAttr)}
	if p.Name == "" {
		return Person{}, errors.New("the member has no uid")
	}
	if p.SiteRole == "" {
		p.SiteRole = o.DefaultRole
	}
	groups, err := conn.Search(ldap.NewSearchRequest(o.BaseDN, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		fmt.Sprintf("(&(objectClass=groupOfNames)(member=%s))", ldap.EscapeFilter(dn)), []string{"cn"}, nil))
	if err != nil {
		return Person{}, fmt.Errorf("reading the member's groups: %w", err)
	}
	for _, g := range groups.Entries {
		if cn := g.GetAttributeValue("cn"); cn != "" && !strings.EqualFold(cn, o.Group) {
			p.Groups = append(p.Groups, cn)
		}
	}
	slices.Sort(p.Groups)
	return p, nil
}
