package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
)

// TestAuthRevokeAllServerAdminTokens: after the revocation the admin's
// personal access token no longer signs in, while the password does; a
// non-administrator is refused.
func TestAuthRevokeAllServerAdminTokens(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	creds := srv.Credentials()
	v := signInViewer(t, srv, "viewer1", "tableau:content:read")
	if err := v.Auth.RevokeAllServerAdminTokens(ctx); !errors.Is(err, tableau.ErrForbidden) {
		t.Fatalf("a viewer revoked the tokens: %v", err)
	}
	pat := tableau.Config{Server: srv.URL(), Site: creds.SiteContentURL, Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret}}
	if err := c.Auth.RevokeAllServerAdminTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := rest.SignIn(ctx, pat); err == nil {
		t.Fatal("the revoked token still signs in")
	}
	pw, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Site: creds.SiteContentURL, Credentials: tableau.Password{Username: creds.Username, Password: creds.Password}})
	if err != nil {
		t.Fatalf("password sign-in after the revocation: %v", err)
	}
	_ = pw.Session.SignOut(ctx)
	if _, err := c.Projects.List(nil).Collect(ctx); err != nil {
		t.Fatalf("the revoking session ended: %v", err)
	}
}
