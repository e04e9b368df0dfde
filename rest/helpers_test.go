package rest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// newClient starts an emulator and returns a client signed in to it with
// the emulator's personal access token.
func newClient(t *testing.T, opts *tableautest.Options, mod func(*tableau.Config)) (*rest.Client, *tableautest.Server) {
	t.Helper()
	srv := tableautest.NewTestServer(t, opts)
	creds := srv.Credentials()
	cfg := tableau.Config{
		Server:      srv.URL(),
		Site:        creds.SiteContentURL,
		Credentials: tableau.PersonalAccessToken{Name: creds.PATName, Secret: creds.PATSecret},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := rest.SignIn(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Session.SignOut(context.Background()) })
	return c, srv
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	slices.Sort(c)
	return c
}

// signInViewer adds a Viewer and signs it in with a connected app that has
// the given scopes.
func signInViewer(t *testing.T, srv *tableautest.Server, name string, scopes ...string) *rest.Client {
	t.Helper()
	ctx := context.Background()
	creds := srv.Credentials()
	if _, err := srv.AddUser(creds.SiteContentURL, name, "Viewer"); err != nil {
		t.Fatal(err)
	}
	v, err := rest.SignIn(ctx, tableau.Config{Server: srv.URL(), Site: creds.SiteContentURL,
		Credentials: tableau.ConnectedApp{ClientID: creds.ClientID, SecretID: creds.SecretID, SecretValue: creds.SecretValue,
			Username: name, Scopes: scopes}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = v.Session.SignOut(context.Background()) })
	return v
}
