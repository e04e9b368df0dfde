package tableau

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func lookupMap(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestConfigFromLookup(t *testing.T) {
	cfg, err := ConfigFromLookup(lookupMap(map[string]string{
		EnvServer: "https://tableau.example.com", EnvSite: "finance", EnvAPIVersion: "3.22",
		EnvPATName: "ci", EnvPATSecret: "s3cr3t", EnvImpersonateUserID: "u1",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server != "https://tableau.example.com" || cfg.Site != "finance" || cfg.APIVersion != "3.22" || cfg.ImpersonateUserID != "u1" ||
		cfg.Credentials != (PersonalAccessToken{Name: "ci", Secret: "s3cr3t"}) {
		t.Fatalf("cfg = %+v", cfg)
	}
	for name, c := range map[string]struct {
		env  map[string]string
		want Credentials
	}{
		"password": {map[string]string{EnvUsername: "ann", EnvPassword: "pw"}, Password{Username: "ann", Password: "pw"}},
		"jwt":      {map[string]string{EnvJWT: "a.b.c"}, JWT{Token: "a.b.c"}},
		"app": {map[string]string{EnvClientID: "c", EnvSecretID: "i", EnvSecretValue: "v", EnvJWTUser: "ann",
			EnvJWTScopes: "tableau:content:read, tableau:projects:create"},
			ConnectedApp{ClientID: "c", SecretID: "i", SecretValue: "v", Username: "ann", Scopes: []string{"tableau:content:read", "tableau:projects:create"}}},
	} {
		c.env[EnvServer] = "http://127.0.0.1:8080"
		cfg, err := ConfigFromLookup(lookupMap(c.env))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(cfg.Credentials, c.want) {
			t.Fatalf("%s: creds = %v", name, cfg.Credentials)
		}
	}
}

func TestConfigFromLookupErrors(t *testing.T) {
	const secret = "very-SECRET-value"
	srv := "https://tableau.example.com"
	for _, c := range []struct {
		env  map[string]string
		name string // the variable the error must name
	}{
		{map[string]string{EnvPATName: "x", EnvPATSecret: secret}, EnvServer},
		{map[string]string{EnvServer: "tableau.example.com", EnvPATName: "x", EnvPATSecret: secret}, EnvServer},
		{map[string]string{EnvServer: srv, EnvAPIVersion: "latest", EnvPATName: "x", EnvPATSecret: secret}, EnvAPIVersion},
		{map[string]string{EnvServer: srv, EnvPATName: "x"}, EnvPATSecret},
		{map[string]string{EnvServer: srv, EnvPATSecret: secret}, EnvPATName},
		{map[string]string{EnvServer: srv, EnvUsername: "ann"}, EnvPassword},
		{map[string]string{EnvServer: srv, EnvPassword: secret}, EnvUsername},
		{map[string]string{EnvServer: srv, EnvClientID: "c", EnvSecretID: "i", EnvSecretValue: secret, EnvJWTUser: "u"}, EnvJWTScopes},
		{map[string]string{EnvServer: srv, EnvClientID: "c", EnvSecretID: "i", EnvSecretValue: secret, EnvJWTUser: "u", EnvJWTScopes: "content:read"}, EnvJWTScopes},
		{map[string]string{EnvServer: srv, EnvClientID: "c", EnvSecretValue: secret, EnvJWTUser: "u", EnvJWTScopes: "tableau:x"}, EnvSecretID},
		{map[string]string{EnvServer: srv}, EnvPATName},
		{map[string]string{EnvServer: srv, EnvPATName: "x", EnvPATSecret: secret, EnvJWT: secret}, EnvJWT},
		{map[string]string{EnvServer: "https://user:" + secret + "@tableau.example.com", EnvPATName: "x", EnvPATSecret: secret}, EnvServer},
	} {
		_, err := ConfigFromLookup(lookupMap(c.env))
		if err == nil {
			t.Errorf("%v: no error", c.env)
			continue
		}
		if !strings.Contains(err.Error(), c.name) {
			t.Errorf("error %q does not name %s", err, c.name)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q shows a secret", err)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(EnvServer, "https://tableau.example.com")
	t.Setenv(EnvPATName, "")
	t.Setenv(EnvPATSecret, "")
	t.Setenv(EnvUsername, "ann")
	t.Setenv(EnvPassword, "pw")
	t.Setenv(EnvJWT, "")
	t.Setenv(EnvClientID, "")
	t.Setenv(EnvSecretID, "")
	t.Setenv(EnvSecretValue, "")
	t.Setenv(EnvJWTUser, "")
	t.Setenv(EnvJWTScopes, "")
	t.Setenv(EnvAPIVersion, "")
	cfg, err := ConfigFromEnv()
	if err != nil || cfg.Credentials != (Password{Username: "ann", Password: "pw"}) {
		t.Fatalf("%v %v", cfg, err)
	}
	if _, err := NewSession(cfg); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvServer, "")
	if _, err := ConfigFromEnv(); err == nil || !errors.Is(err, err) || !strings.Contains(err.Error(), EnvServer) {
		t.Fatal(err)
	}
}
