package rest

import (
	"context"
	"fmt"

	"github.com/tableau-go/sdk/tableau"
)

// Client is the Tableau REST API. Its services share one signed-in
// [tableau.Session]; use them as c.Sites, c.Projects and so on. A Client is
// safe for concurrent use.
type Client struct {
	// Session is the session every service sends through.
	Session *tableau.Session

	// Services, one per resource, each in its own file. To add one: write
	// rest/<resource>.go with `type XService struct{ service }`, add a field
	// here and one line in NewClient.
	Sites    *SitesService
	Projects *ProjectsService

	contentServices    // Workbooks, Datasources, Views, Jobs, FileUploads (workbooks_services.go)
	governanceServices // Users, Groups, GroupSets, Permissions, Webhooks, Schedules, Tasks (users_services.go)
}

// NewClient returns a client over s. It does no I/O: sign s in before
// calling the services (or use [SignIn]).
func NewClient(s *tableau.Session) *Client {
	base := service{s: s}
	c := &Client{Session: s}
	c.Sites = &SitesService{base}
	c.Projects = &ProjectsService{base}
	c.contentServices = newContentServices(base)
	c.governanceServices = newGovernanceServices(base)
	return c
}

// SignIn creates a session from cfg, signs it in and returns a client over
// it. Sign out with c.Session.SignOut.
func SignIn(ctx context.Context, cfg tableau.Config) (*Client, error) {
	s, err := tableau.NewSession(cfg)
	if err != nil {
		return nil, err
	}
	if err := s.SignIn(ctx); err != nil {
		return nil, err
	}
	return NewClient(s), nil
}

// service is what every service shares: the session and small helpers.
type service struct {
	s *tableau.Session
}

// sitePath is tableau.Session.SitePath with the method named in its error.
func (sv service) sitePath(method string, elem ...string) (string, error) {
	p, err := sv.s.SitePath(elem...)
	if err != nil {
		return "", fmt.Errorf("rest.%s: %w", method, err)
	}
	return p, nil
}

// need returns an ErrInvalidArgument error when a required argument is empty.
func need(method, name, value string) error {
	if value == "" {
		return fmt.Errorf("rest.%s: %w: %s is empty", method, tableau.ErrInvalidArgument, name)
	}
	return nil
}
