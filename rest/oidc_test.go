package rest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

func oidcSettings(name string) rest.OIDCSettings {
	return rest.OIDCSettings{
		Name: name, Enabled: true, ClientID: "client-1", ClientSecret: "s3cret-value",
		AuthorizationEndpoint: "https://idp.example.com/authorize", TokenEndpoint: "https://idp.example.com/token",
		UserInfoEndpoint: "https://idp.example.com/userinfo", JWKSURI: "https://idp.example.com/jwks",
		ClientAuthentication: "client_secret_post", CustomScope: "groups", EmailMapping: "mail",
	}
}

// TestOIDCLifecycle creates, lists, reads, updates and removes a site's
// OIDC configuration; the secret never comes back.
func TestOIDCLifecycle(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t, nil, nil)
	created, err := c.OIDC.Create(ctx, oidcSettings("Okta"))
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Name != "Okta" || !created.Enabled || created.ClientID != "client-1" ||
		created.UserInfoEndpoint != "https://idp.example.com/userinfo" || created.ClientAuthentication != "client_secret_post" ||
		created.CustomScope != "groups" || created.EmailMapping != "mail" || created.TestLoginURL == "" {
		t.Fatalf("created %+v", created)
	}
	if created.ClientSecret == "s3cret-value" {
		t.Fatal("the client secret came back unmasked")
	}
	if _, err := c.OIDC.Create(ctx, oidcSettings("okta")); !errors.Is(err, tableau.ErrConflict) {
		t.Fatalf("a second configuration of the same name: %v, want a conflict", err)
	}
	list, err := c.OIDC.List(ctx)
	if err != nil || len(list) != 1 || list[0].ID != created.ID || list[0].AuthSetting != "OIDC" || !list[0].Enabled {
		t.Fatalf("List %+v %v", list, err)
	}
	upd := oidcSettings("Okta prod")
	upd.Enabled = false
	upd.Prompt = "login"
	got, err := c.OIDC.Update(ctx, created.ID, upd)
	if err != nil || got.ID != created.ID || got.Name != "Okta prod" || got.Enabled || got.Prompt != "login" {
		t.Fatalf("Update %+v %v", got, err)
	}
	got, err = c.OIDC.Get(ctx, created.ID)
	if err != nil || got.Name != "Okta prod" || got.JWKSURI != "https://idp.example.com/jwks" {
		t.Fatalf("Get %+v %v", got, err)
	}
	if err := c.OIDC.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.OIDC.Get(ctx, created.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if err := c.OIDC.Delete(ctx, created.ID); !errors.Is(err, tableau.ErrNotFound) {
		t.Fatalf("Delete twice: %v", err)
	}
}

// TestOIDCValidateAndVersion: missing settings and relative URLs fail
// before any request; an older API version fails with ErrUnsupportedVersion.
func TestOIDCValidateAndVersion(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	bad := oidcSettings("x")
	bad.ClientSecret = ""
	before := srv.Stats().Requests
	if _, err := c.OIDC.Create(ctx, bad); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("no secret: %v", err)
	}
	bad = oidcSettings("x")
	bad.TokenEndpoint = "/token"
	if _, err := c.OIDC.Update(ctx, "id", bad); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("relative URL: %v", err)
	}
	if err := c.OIDC.Delete(ctx, ""); !errors.Is(err, tableau.ErrInvalidArgument) {
		t.Fatalf("empty id: %v", err)
	}
	if n := srv.Stats().Requests; n != before {
		t.Fatalf("%d requests were sent for invalid arguments", n-before)
	}

	old, _ := newClient(t, &tableautest.Options{APIVersion: "3.21"}, nil)
	if _, err := old.OIDC.Create(ctx, oidcSettings("x")); !errors.Is(err, tableau.ErrUnsupportedVersion) {
		t.Fatalf("API 3.21: %v, want ErrUnsupportedVersion", err)
	}
}
