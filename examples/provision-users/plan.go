package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

// change is a user whose site role or email changes.
type change struct {
	User     rest.User
	From, To string
}

// plan is what makes the site match the source.
type plan struct {
	Add          []Person
	RoleChanges  []change
	EmailChanges []change
	NewGroups    []string
	// GroupAdds and GroupRemoves map a group name to user names.
	GroupAdds    map[string][]string
	GroupRemoves map[string][]string
	// Left are site users the source no longer has (never the signed-in
	// user or a server administrator).
	Left []rest.User

	users  map[string]rest.User  // site users by lower-case name
	groups map[string]rest.Group // local groups by lower-case name
}

// ops counts the requests applying the plan takes (removals only with remove).
func (p *plan) ops(remove bool) int {
	n := len(p.Add) + len(p.RoleChanges) + len(p.EmailChanges) + len(p.NewGroups) + len(p.GroupAdds) + len(p.GroupRemoves)
	for _, a := range p.Add {
		if a.Email != "" {
			n++
		}
	}
	if remove {
		n += len(p.Left)
	}
	return n
}

// buildPlan compares the source with the site. Only the groups the source
// names are managed: their members become exactly the source's; other
// groups are left alone.
func buildPlan(ctx context.Context, c *rest.Client, people []Person) (*plan, error) {
	p := &plan{GroupAdds: map[string][]string{}, GroupRemoves: map[string][]string{}, users: map[string]rest.User{}, groups: map[string]rest.Group{}}
	opts := &tableau.ListOptions{PageSize: tableau.MaxPageSize, Fields: []string{tableau.FieldsDefault, "email"}, Parallel: 4}
	for u, err := range c.Users.List(opts).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing users: %w", err)
		}
		p.users[strings.ToLower(u.Name)] = u
	}
	for g, err := range c.Groups.List(&tableau.ListOptions{PageSize: tableau.MaxPageSize}).All(ctx) {
		if err != nil {
			return nil, fmt.Errorf("listing groups: %w", err)
		}
		if g.Local() {
			p.groups[strings.ToLower(g.Name)] = g
		}
	}
	want := map[string]Person{}
	wantGroups := map[string]map[string]bool{} // group (lower) -> user names (lower)
	groupNames := map[string]string{}          // lower -> as written
	for _, person := range people {
		key := strings.ToLower(person.Name)
		want[key] = person
		cur, ok := p.users[key]
		switch {
		case !ok:
			p.Add = append(p.Add, person)
		default:
			if cur.SiteRole != person.SiteRole && cur.SiteRole != rest.RoleServerAdministrator {
				p.RoleChanges = append(p.RoleChanges, change{User: cur, From: cur.SiteRole, To: person.SiteRole})
			}
			if person.Email != "" && !strings.EqualFold(cur.Email, person.Email) {
				p.EmailChanges = append(p.EmailChanges, change{User: cur, From: cur.Email, To: person.Email})
			}
		}
		for _, g := range person.Groups {
			gk := strings.ToLower(g)
			if wantGroups[gk] == nil {
				wantGroups[gk] = map[string]bool{}
				groupNames[gk] = g
			}
			wantGroups[gk][key] = true
		}
	}
	for gk, members := range wantGroups {
		name := groupNames[gk]
		have := map[string]bool{}
		if g, ok := p.groups[gk]; ok {
			name = g.Name
			for u, err := range c.Groups.Users(g.ID, &tableau.ListOptions{PageSize: tableau.MaxPageSize}).All(ctx) {
				if err != nil {
					return nil, fmt.Errorf("listing the members of %q: %w", g.Name, err)
				}
				have[strings.ToLower(u.Name)] = true
			}
		} else {
			p.NewGroups = append(p.NewGroups, name)
		}
		for u := range members {
			if !have[u] {
				p.GroupAdds[name] = append(p.GroupAdds[name], want[u].Name)
			}
		}
		for u := range have {
			if !members[u] {
				p.GroupRemoves[name] = append(p.GroupRemoves[name], p.users[u].Name)
			}
		}
	}
	me := c.Session.UserID()
	for key, u := range p.users {
		if _, ok := want[key]; !ok && u.ID != me && u.SiteRole != rest.RoleServerAdministrator {
			p.Left = append(p.Left, u)
		}
	}
	sort.Slice(p.Left, func(i, j int) bool { return p.Left[i].Name < p.Left[j].Name })
	slices.Sort(p.NewGroups)
	for _, m := range []map[string][]string{p.GroupAdds, p.GroupRemoves} {
		for g := range m {
			slices.Sort(m[g])
		}
	}
	return p, nil
}

// print writes the plan for people to read.
func (p *plan) print(w io.Writer, remove bool) {
	fmt.Fprintf(w, "plan: %d to add, %d role changes, %d email changes, %d groups to create, %d membership additions, %d membership removals, %d left the source\n",
		len(p.Add), len(p.RoleChanges), len(p.EmailChanges), len(p.NewGroups), count(p.GroupAdds), count(p.GroupRemoves), len(p.Left))
	for _, a := range p.Add {
		fmt.Fprintf(w, "  add      %s (%s)\n", a.Name, a.SiteRole)
	}
	for _, ch := range p.RoleChanges {
		fmt.Fprintf(w, "  role     %s: %s -> %s\n", ch.User.Name, ch.From, ch.To)
	}
	for _, ch := range p.EmailChanges {
		fmt.Fprintf(w, "  email    %s: %q -> %q\n", ch.User.Name, ch.From, ch.To)
	}
	for _, g := range p.NewGroups {
		fmt.Fprintf(w, "  group    create %q\n", g)
	}
	for _, g := range sortedKeys(p.GroupAdds) {
		fmt.Fprintf(w, "  join     %s: %s\n", g, strings.Join(p.GroupAdds[g], ", "))
	}
	for _, g := range sortedKeys(p.GroupRemoves) {
		fmt.Fprintf(w, "  leave    %s: %s\n", g, strings.Join(p.GroupRemoves[g], ", "))
	}
	verb := "left     %s (reported only; -remove removes)\n"
	if remove {
		verb = "remove   %s\n"
	}
	for _, u := range p.Left {
		fmt.Fprintf(w, "  "+verb, u.Name)
	}
}

func count(m map[string][]string) int {
	n := 0
	for _, v := range m {
		n += len(v)
	}
	return n
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// applyOptions say how to apply a plan.
type applyOptions struct {
	Remove      bool
	MapAssetsTo string    // user name receiving removed users' content
	Progress    io.Writer // nil: no progress bar
}

// apply carries out the plan, one step after the other, and returns the
// failures (it goes on after one).
func (p *plan) apply(ctx context.Context, c *rest.Client, o applyOptions) []error {
	var bar *progressbar.ProgressBar
	if o.Progress != nil {
		bar = progressbar.NewOptions(p.ops(o.Remove),
			progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionSetDescription("applying"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(o.Progress) }))
	}
	step := func() {
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	var fails []error
	fail := func(format string, args ...any) { fails = append(fails, fmt.Errorf(format, args...)) }
	ids := map[string]string{}
	for k, u := range p.users {
		ids[k] = u.ID
	}
	for _, name := range p.NewGroups {
		g, err := c.Groups.Create(ctx, rest.GroupCreate{Name: name})
		if err != nil {
			fail("create group %q: %w", name, err)
		} else {
			p.groups[strings.ToLower(name)] = *g
		}
		step()
	}
	for _, a := range p.Add {
		u, err := c.Users.Add(ctx, rest.UserAdd{Name: a.Name, SiteRole: a.SiteRole})
		step()
		if err != nil {
			fail("add %s: %w", a.Name, err)
			continue
		}
		ids[strings.ToLower(a.Name)] = u.ID
		if a.Email != "" {
			if _, err := c.Users.Update(ctx, u.ID, rest.UserUpdate{Email: &a.Email}); err != nil {
				fail("set the email of %s: %w", a.Name, err)
			}
			step()
		}
	}
	for _, ch := range p.RoleChanges {
		if _, err := c.Users.Update(ctx, ch.User.ID, rest.UserUpdate{SiteRole: &ch.To}); err != nil {
			fail("change the role of %s: %w", ch.User.Name, err)
		}
		step()
	}
	for _, ch := range p.EmailChanges {
		if _, err := c.Users.Update(ctx, ch.User.ID, rest.UserUpdate{Email: &ch.To}); err != nil {
			fail("change the email of %s: %w", ch.User.Name, err)
		}
		step()
	}
	memberIDs := func(names []string) []string {
		var out []string
		for _, n := range names {
			if id := ids[strings.ToLower(n)]; id != "" {
				out = append(out, id)
			}
		}
		return out
	}
	for _, gname := range sortedKeys(p.GroupAdds) {
		g, ok := p.groups[strings.ToLower(gname)]
		if members := memberIDs(p.GroupAdds[gname]); ok && len(members) > 0 {
			if _, err := c.Groups.AddUsers(ctx, g.ID, members); err != nil {
				fail("add %d users to %q: %w", len(members), gname, err)
			}
		}
		step()
	}
	for _, gname := range sortedKeys(p.GroupRemoves) {
		g, ok := p.groups[strings.ToLower(gname)]
		if members := memberIDs(p.GroupRemoves[gname]); ok && len(members) > 0 {
			if err := c.Groups.RemoveUsers(ctx, g.ID, members); err != nil {
				fail("remove %d users from %q: %w", len(members), gname, err)
			}
		}
		step()
	}
	if o.Remove {
		var ro *rest.RemoveOptions
		if o.MapAssetsTo != "" {
			if id := ids[strings.ToLower(o.MapAssetsTo)]; id != "" {
				ro = &rest.RemoveOptions{MapAssetsTo: id}
			} else {
				fail("-map-assets-to: no user named %q", o.MapAssetsTo)
			}
		}
		for _, u := range p.Left {
			err := c.Users.Remove(ctx, u.ID, ro)
			if errors.Is(err, tableau.ErrConflict) {
				err = fmt.Errorf("%w (the user owns content: use -map-assets-to)", err)
			}
			if err != nil {
				fail("remove %s: %w", u.Name, err)
			}
			step()
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	return fails
}
