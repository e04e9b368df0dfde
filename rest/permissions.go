package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// ContentType names a kind of item that has permissions, as the REST API's
// paths do.
type ContentType string

// Content types with permissions.
const (
	ContentProjects           ContentType = "projects"
	ContentWorkbooks          ContentType = "workbooks"
	ContentDatasources        ContentType = "datasources"
	ContentViews              ContentType = "views"
	ContentFlows              ContentType = "flows"
	ContentVirtualConnections ContentType = "virtualconnections"
	ContentTables             ContentType = "tables"
	ContentDatabases          ContentType = "databases"
	ContentMetrics            ContentType = "metrics"
	// Lenses and data roles only have project default permissions.
	ContentLenses    ContentType = "lenses"
	ContentDataRoles ContentType = "dataroles"
)

// Capability modes.
const (
	Allow = "Allow"
	Deny  = "Deny"
)

// Capabilities lists the capability names of each content type, from the
// REST API's permissions reference. Rules are checked against it before any
// request.
var Capabilities = map[ContentType][]string{
	ContentProjects: {"ProjectLeader", "Read", "Write"},
	ContentWorkbooks: {"AddComment", "ChangeHierarchy", "ChangePermissions", "CreateRefreshMetrics", "Delete",
		"ExportData", "ExportImage", "ExportXml", "ExtractRefresh", "Filter", "Read", "RunExplainData",
		"ShareView", "ViewComments", "ViewUnderlyingData", "WebAuthoring", "Write"},
	ContentDatasources: {"ChangeHierarchy", "ChangePermissions", "Connect", "Delete", "ExportXml", "ExtractRefresh",
		"Read", "SaveAs", "VizqlDataApiAccess", "Write"},
	ContentViews: {"AddComment", "ChangePermissions", "Delete", "ExportData", "ExportImage", "ExportXml", "Filter",
		"Read", "ShareView", "ViewComments", "ViewUnderlyingData", "WebAuthoring", "Write"},
	ContentFlows:              {"ChangeHierarchy", "ChangePermissions", "Delete", "Execute", "ExportXml", "Read", "WebAuthoringForFlows", "Write"},
	ContentVirtualConnections: {"ChangeHierarchy", "ChangePermissions", "Connect", "Delete", "Overwrite", "Read"},
	ContentTables:             {"ChangeHierarchy", "ChangePermissions", "Delete", "Read", "Write"},
	ContentDatabases:          {"ChangeHierarchy", "ChangePermissions", "Delete", "Read", "Write"},
	ContentMetrics:            {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
	ContentLenses:             {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
	ContentDataRoles:          {"ChangeHierarchy", "ChangePermissions", "Delete", "Overwrite", "Read"},
}

// Grantee kinds of a rule.
const (
	GranteeUser     = "user"
	GranteeGroup    = "group"
	GranteeGroupSet = "groupSet"
)

// Rule is the capabilities one grantee (a user, group or group set) has on
// an item: capability name to mode (Allow or Deny).
type Rule struct {
	GranteeKind  string // GranteeUser, GranteeGroup or GranteeGroupSet
	GranteeID    string
	Capabilities map[string]string
}

// Permissions are the explicit rules of one item (or a project's default
// rules for one content type).
type Permissions struct {
	// ItemID, ItemName and OwnerID describe the item (the project for
	// default permissions), as far as the server says.
	ItemID, ItemName, OwnerID string
	Rules                     []Rule
}

// PermissionsService reads and changes permissions. c.Permissions.
type PermissionsService struct{ service }

// wire shapes

type permissionsXML struct {
	Items    []itemXML        `xml:",any"`
	Grantees []granteeCapsXML `xml:"granteeCapabilities"`
}

type itemXML struct {
	XMLName xml.Name
	ID      string  `xml:"id,attr"`
	Name    string  `xml:"name,attr"`
	Owner   *idElem `xml:"owner"`
}

type granteeCapsXML struct {
	User     *idElem         `xml:"user"`
	Group    *idElem         `xml:"group"`
	GroupSet *idElem         `xml:"groupSet"`
	Caps     []capabilityXML `xml:"capabilities>capability"`
}

type capabilityXML struct {
	Name string `xml:"name,attr"`
	Mode string `xml:"mode,attr"`
}

type permissionsResponse struct {
	Permissions *permissionsXML `xml:"permissions"`
}

type permissionsRequest struct {
	XMLName     xml.Name `xml:"tsRequest"`
	Permissions struct {
		Grantees []granteeCapsXML `xml:"granteeCapabilities"`
	} `xml:"permissions"`
}

func (p *permissionsXML) decode() *Permissions {
	out := &Permissions{}
	for _, it := range p.Items {
		if it.XMLName.Local == "granteeCapabilities" {
			continue
		}
		out.ItemID, out.ItemName = it.ID, it.Name
		if it.Owner != nil {
			out.OwnerID = it.Owner.ID
		}
		break
	}
	for _, g := range p.Grantees {
		r := Rule{Capabilities: map[string]string{}}
		switch {
		case g.User != nil:
			r.GranteeKind, r.GranteeID = GranteeUser, g.User.ID
		case g.Group != nil:
			r.GranteeKind, r.GranteeID = GranteeGroup, g.Group.ID
		case g.GroupSet != nil:
			r.GranteeKind, r.GranteeID = GranteeGroupSet, g.GroupSet.ID
		}
		for _, c := range g.Caps {
			r.Capabilities[c.Name] = c.Mode
		}
		out.Rules = append(out.Rules, r)
	}
	return out
}

func checkContent(m string, ct ContentType, defaults bool) error {
	switch ct {
	case ContentLenses, ContentDataRoles:
		if defaults {
			return nil
		}
	case ContentProjects:
		if !defaults {
			return nil
		}
	default:
		if _, ok := Capabilities[ct]; ok {
			return nil
		}
	}
	return fmt.Errorf("rest.%s: %w: content type %q has no %s", m, tableau.ErrInvalidArgument, ct, map[bool]string{true: "default permissions", false: "permissions"}[defaults])
}

// encodeRules checks rules against ct's capabilities and encodes them.
func encodeRules(m string, ct ContentType, rules []Rule) (permissionsRequest, error) {
	var req permissionsRequest
	if len(rules) == 0 {
		return req, fmt.Errorf("rest.%s: %w: no rules", m, tableau.ErrInvalidArgument)
	}
	valid := Capabilities[ct]
	for i, r := range rules {
		if r.GranteeID == "" {
			return req, fmt.Errorf("rest.%s: %w: rule %d has no grantee id", m, tableau.ErrInvalidArgument, i)
		}
		g := granteeCapsXML{}
		switch r.GranteeKind {
		case GranteeUser:
			g.User = &idElem{ID: r.GranteeID}
		case GranteeGroup:
			g.Group = &idElem{ID: r.GranteeID}
		case GranteeGroupSet:
			g.GroupSet = &idElem{ID: r.GranteeID}
		default:
			return req, fmt.Errorf("rest.%s: %w: rule %d: grantee kind %q is not user, group or groupSet", m, tableau.ErrInvalidArgument, i, r.GranteeKind)
		}
		if len(r.Capabilities) == 0 {
			return req, fmt.Errorf("rest.%s: %w: rule %d has no capabilities", m, tableau.ErrInvalidArgument, i)
		}
		names := make([]string, 0, len(r.Capabilities))
		for n := range r.Capabilities {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			mode := r.Capabilities[n]
			if !slices.Contains(valid, n) {
				return req, fmt.Errorf("rest.%s: %w: %q is not a capability of %s (valid: %s)", m, tableau.ErrInvalidArgument, n, ct, strings.Join(valid, ", "))
			}
			if mode != Allow && mode != Deny {
				return req, fmt.Errorf("rest.%s: %w: capability %s: mode %q is not Allow or Deny", m, tableau.ErrInvalidArgument, n, mode)
			}
			g.Caps = append(g.Caps, capabilityXML{Name: n, Mode: mode})
		}
		req.Permissions.Grantees = append(req.Permissions.Grantees, g)
	}
	return req, nil
}

func (sv *PermissionsService) get(ctx context.Context, m string, elem ...string) (*Permissions, error) {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, err
	}
	var r permissionsResponse
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	if r.Permissions == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <permissions>", m)
	}
	return r.Permissions.decode(), nil
}

func (sv *PermissionsService) put(ctx context.Context, m string, req permissionsRequest, elem ...string) (*Permissions, error) {
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return nil, err
	}
	var r permissionsResponse
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	if r.Permissions == nil {
		return nil, fmt.Errorf("rest.%s: the response has no <permissions>", m)
	}
	return r.Permissions.decode(), nil
}

// List returns the explicit permissions of an item.
func (sv *PermissionsService) List(ctx context.Context, ct ContentType, id string) (*Permissions, error) {
	const m = "Permissions.List"
	if err := checkContent(m, ct, false); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.get(ctx, m, string(ct), id, "permissions")
}

// Add adds capabilities to an item and returns the rules the server
// added. A capability the grantee already has with the other mode takes
// the new mode.
func (sv *PermissionsService) Add(ctx context.Context, ct ContentType, id string, rules ...Rule) (*Permissions, error) {
	const m = "Permissions.Add"
	if err := checkContent(m, ct, false); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	req, err := encodeRules(m, ct, rules)
	if err != nil {
		return nil, err
	}
	return sv.put(ctx, m, req, string(ct), id, "permissions")
}

func granteeSegment(m, kind string) (string, error) {
	switch kind {
	case GranteeUser:
		return "users", nil
	case GranteeGroup:
		return "groups", nil
	case GranteeGroupSet:
		return "groupSets", nil
	}
	return "", fmt.Errorf("rest.%s: %w: grantee kind %q is not user, group or groupSet", m, tableau.ErrInvalidArgument, kind)
}

// Delete removes every capability of rule from an item, one request per
// capability (the REST API deletes one at a time).
func (sv *PermissionsService) Delete(ctx context.Context, ct ContentType, id string, rule Rule) error {
	const m = "Permissions.Delete"
	if err := checkContent(m, ct, false); err != nil {
		return err
	}
	if err := need(m, "id", id); err != nil {
		return err
	}
	return sv.deleteRule(ctx, m, ct, rule, string(ct), id, "permissions")
}

func (sv *PermissionsService) deleteRule(ctx context.Context, m string, ct ContentType, rule Rule, elem ...string) error {
	if _, err := encodeRules(m, ct, []Rule{rule}); err != nil {
		return err
	}
	seg, err := granteeSegment(m, rule.GranteeKind)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(rule.Capabilities))
	for n := range rule.Capabilities {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		path, err := sv.sitePath(m, append(slices.Clone(elem), seg, rule.GranteeID, n, rule.Capabilities[n])...)
		if err != nil {
			return err
		}
		if err := sv.s.Delete(ctx, path, nil); err != nil {
			return err
		}
	}
	return nil
}

// ListDefault returns a project's default permissions for a content type
// (workbooks, datasources, flows, metrics, lenses, dataroles,
// virtualconnections, databases or tables).
func (sv *PermissionsService) ListDefault(ctx context.Context, projectID string, ct ContentType) (*Permissions, error) {
	const m = "Permissions.ListDefault"
	if err := checkContent(m, ct, true); err != nil {
		return nil, err
	}
	if err := need(m, "projectID", projectID); err != nil {
		return nil, err
	}
	return sv.get(ctx, m, "projects", projectID, "default-permissions", string(ct))
}

// AddDefault adds to a project's default permissions for a content type.
func (sv *PermissionsService) AddDefault(ctx context.Context, projectID string, ct ContentType, rules ...Rule) (*Permissions, error) {
	const m = "Permissions.AddDefault"
	if err := checkContent(m, ct, true); err != nil {
		return nil, err
	}
	if err := need(m, "projectID", projectID); err != nil {
		return nil, err
	}
	req, err := encodeRules(m, ct, rules)
	if err != nil {
		return nil, err
	}
	return sv.put(ctx, m, req, "projects", projectID, "default-permissions", string(ct))
}

// DeleteDefault removes every capability of rule from a project's default
// permissions for a content type.
func (sv *PermissionsService) DeleteDefault(ctx context.Context, projectID string, ct ContentType, rule Rule) error {
	const m = "Permissions.DeleteDefault"
	if err := checkContent(m, ct, true); err != nil {
		return err
	}
	if err := need(m, "projectID", projectID); err != nil {
		return err
	}
	return sv.deleteRule(ctx, m, ct, rule, "projects", projectID, "default-permissions", string(ct))
}
