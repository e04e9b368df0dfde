package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// GroupSet is a named set of groups (API 3.22), usable as a permissions grantee.
type GroupSet struct {
	ID         string `xml:"id,attr"`
	Name       string `xml:"name,attr"`
	GroupCount int    `xml:"groupCount,attr"`
	Groups     []struct {
		ID   string `xml:"id,attr"`
		Name string `xml:"name,attr"`
	} `xml:"group"`
}

// GroupSetsService manages the group sets of the signed-in site. c.GroupSets.
type GroupSetsService struct{ service }

type groupSetList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	GroupSets  []GroupSet         `xml:"groupSets>groupSet"`
}

type groupSetResponse struct {
	GroupSet *GroupSet `xml:"groupSet"`
}

type groupSetRequest struct {
	XMLName  xml.Name `xml:"tsRequest"`
	GroupSet struct {
		Name string `xml:"name,attr"`
	} `xml:"groupSet"`
}

// List returns a pager over the site's group sets.
func (sv *GroupSetsService) List(opts *tableau.ListOptions) *tableau.Pager[GroupSet] {
	path, err := sv.sitePath("GroupSets.List", "groupsets")
	if err != nil {
		return tableau.ErrorPager[GroupSet](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *groupSetList) ([]GroupSet, tableau.Pagination) {
		return r.GroupSets, r.Pagination
	})
}

func (sv *GroupSetsService) one(ctx context.Context, m, method string, body any, elem ...string) (*GroupSet, error) {
	return sendOne(ctx, sv.service, m, method, "groupSet", body, func(r *groupSetResponse) *GroupSet { return r.GroupSet }, elem...)
}

// Get returns the group set with id and its groups.
func (sv *GroupSetsService) Get(ctx context.Context, id string) (*GroupSet, error) {
	const m = "GroupSets.Get"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	return sv.one(ctx, m, "GET", nil, "groupsets", id)
}

// Create creates an empty group set.
func (sv *GroupSetsService) Create(ctx context.Context, name string) (*GroupSet, error) {
	const m = "GroupSets.Create"
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: name is empty", m, tableau.ErrInvalidArgument)
	}
	var req groupSetRequest
	req.GroupSet.Name = name
	return sv.one(ctx, m, "POST", req, "groupsets")
}

// Rename renames the group set with id.
func (sv *GroupSetsService) Rename(ctx context.Context, id, name string) (*GroupSet, error) {
	const m = "GroupSets.Rename"
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("rest.%s: %w: name is empty", m, tableau.ErrInvalidArgument)
	}
	var req groupSetRequest
	req.GroupSet.Name = name
	return sv.one(ctx, m, "PUT", req, "groupsets", id)
}

// Delete deletes the group set with id (its groups stay).
func (sv *GroupSetsService) Delete(ctx context.Context, id string) error {
	const m = "GroupSets.Delete"
	if err := need(m, "id", id); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groupsets", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}

// AddGroup adds the group with groupID to the set with setID.
func (sv *GroupSetsService) AddGroup(ctx context.Context, setID, groupID string) error {
	const m = "GroupSets.AddGroup"
	if err := need(m, "setID", setID); err != nil {
		return err
	}
	if err := need(m, "groupID", groupID); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groupsets", setID, "groups", groupID)
	if err != nil {
		return err
	}
	return sv.s.Do(ctx, &tableau.Request{Method: "PUT", Path: path}, nil)
}

// RemoveGroup removes the group with groupID from the set with setID.
func (sv *GroupSetsService) RemoveGroup(ctx context.Context, setID, groupID string) error {
	const m = "GroupSets.RemoveGroup"
	if err := need(m, "setID", setID); err != nil {
		return err
	}
	if err := need(m, "groupID", groupID); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "groupsets", setID, "groups", groupID)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
