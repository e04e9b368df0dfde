package main

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/rest"
)

// grant is one effective capability of a user on an item.
type grant struct {
	Kind, ItemID, Item, Project string
	User, Capability, Mode      string
	// Source says where the capability comes from: "user rule", "group X",
	// "locked to project P (group X)", "workbook (group X)", "owner".
	Source string
}

// rulesFor returns the rules that govern an item and where they come from:
// the controlling project's default rules when the project locks its
// content's permissions, else the item's own (a view without rules of its
// own shows its workbook's).
func (s *site) rulesFor(it *item, byID map[string]*item) ([]rest.Rule, string) {
	if it.Kind == "project" {
		return it.Rules, ""
	}
	p := s.Projects[it.ProjectID]
	if p != nil {
		ctl := s.Projects[p.ControllingPermissionsProjectID]
		if ctl == nil {
			ctl = p
		}
		locked := ctl.ContentPermissions == rest.PermissionsLockedToProject ||
			(ctl.ContentPermissions == rest.PermissionsLockedToProjectWithoutNested && ctl.ID == p.ID)
		if locked {
			ct := rest.ContentWorkbooks
			if it.Kind == "datasource" {
				ct = rest.ContentDatasources
			}
			return ctl.Defaults[ct], "locked to project " + ctl.Name
		}
	}
	if it.Kind == "view" && len(it.Rules) == 0 {
		if wb := byID[it.WorkbookID]; wb != nil {
			return wb.Rules, "workbook " + wb.Name
		}
	}
	return it.Rules, ""
}

// effective resolves every item's rules to capabilities per user, as
// Tableau does: a user's own rule wins over its groups' rules; among group
// rules, Deny wins over Allow. Owners have every capability.
func effective(s *site) []grant {
	byID := make(map[string]*item, len(s.Items))
	for _, it := range s.Items {
		byID[it.ID] = it
	}
	var out []grant
	for _, it := range s.Items {
		rules, via := s.rulesFor(it, byID)
		projectName := ""
		if p := s.Projects[it.ProjectID]; p != nil {
			projectName = p.Name
		}
		wrap := func(src string) string {
			if via == "" {
				return src
			}
			return via + " (" + src + ")"
		}
		type modeSrc struct{ mode, src string }
		userCaps := map[string]map[string]modeSrc{}    // user -> cap -> user rule
		groupCaps := map[string]map[string][]modeSrc{} // user -> cap -> group rules
		for _, r := range rules {
			switch r.GranteeKind {
			case rest.GranteeUser:
				if userCaps[r.GranteeID] == nil {
					userCaps[r.GranteeID] = map[string]modeSrc{}
				}
				for capName, mode := range r.Capabilities {
					userCaps[r.GranteeID][capName] = modeSrc{mode, wrap("user rule")}
				}
			case rest.GranteeGroup:
				gname := s.Groups[r.GranteeID].Name
				for _, uid := range s.Members[r.GranteeID] {
					if groupCaps[uid] == nil {
						groupCaps[uid] = map[string][]modeSrc{}
					}
					for capName, mode := range r.Capabilities {
						groupCaps[uid][capName] = append(groupCaps[uid][capName], modeSrc{mode, wrap("group " + gname)})
					}
				}
			}
		}
		users := map[string]bool{}
		for u := range userCaps {
			users[u] = true
		}
		for u := range groupCaps {
			users[u] = true
		}
		add := func(uid, capName, mode, src string) {
			name := s.Users[uid].Name
			if name == "" {
				name = uid
			}
			out = append(out, grant{Kind: it.Kind, ItemID: it.ID, Item: it.Name, Project: projectName, User: name, Capability: capName, Mode: mode, Source: src})
		}
		for uid := range users {
			caps := map[string]bool{}
			for c := range userCaps[uid] {
				caps[c] = true
			}
			for c := range groupCaps[uid] {
				caps[c] = true
			}
			for capName := range caps {
				if us, ok := userCaps[uid][capName]; ok {
					add(uid, capName, us.mode, us.src)
					continue
				}
				var allow, deny []string
				for _, gs := range groupCaps[uid][capName] {
					if gs.mode == rest.Deny {
						deny = append(deny, gs.src)
					} else {
						allow = append(allow, gs.src)
					}
				}
				if len(deny) > 0 {
					slices.Sort(deny)
					add(uid, capName, rest.Deny, strings.Join(slices.Compact(deny), "; "))
				} else {
					slices.Sort(allow)
					add(uid, capName, rest.Allow, strings.Join(slices.Compact(allow), "; "))
				}
			}
		}
		if it.OwnerID != "" {
			add(it.OwnerID, "*", rest.Allow, "owner")
		}
	}
	kindOrder := map[string]int{"project": 0, "workbook": 1, "view": 2, "datasource": 3}
	slices.SortFunc(out, func(a, b grant) int {
		return cmp.Or(cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]), cmp.Compare(a.Project, b.Project),
			cmp.Compare(a.Item, b.Item), cmp.Compare(a.ItemID, b.ItemID), cmp.Compare(a.User, b.User), cmp.Compare(a.Capability, b.Capability))
	})
	return out
}
