package tableau

import (
	"fmt"
	"os"
	"strings"
)

// Environment variables read by [ConfigFromEnv].
const (
	EnvServer            = "TABLEAU_SERVER"              // server base URL (required)
	EnvSite              = "TABLEAU_SITE"                // site content URL; "" = Default
	EnvAPIVersion        = "TABLEAU_API_VERSION"         // pinned REST API version, e.g. 3.24
	EnvPATName           = "TABLEAU_PAT_NAME"            // personal access token name
	EnvPATSecret         = "TABLEAU_PAT_SECRET"          // personal access token secret
	EnvUsername          = "TABLEAU_USERNAME"            // user name (with TABLEAU_PASSWORD)
	EnvPassword          = "TABLEAU_PASSWORD"            // password
	EnvJWT               = "TABLEAU_JWT"                 // a ready JWT
	EnvClientID          = "TABLEAU_CLIENT_ID"           // connected app client id
	EnvSecretID          = "TABLEAU_SECRET_ID"           // connected app secret id
	EnvSecretValue       = "TABLEAU_SECRET_VALUE"        // connected app secret value
	EnvJWTUser           = "TABLEAU_JWT_USER"            // user a connected app signs in as
	EnvJWTScopes         = "TABLEAU_JWT_SCOPES"          // scopes, separated by commas or spaces
	EnvImpersonateUserID = "TABLEAU_IMPERSONATE_USER_ID" // user id to impersonate
)

// ConfigFromEnv builds a [Config] from the TABLEAU_* environment variables
// (see [EnvServer] and the constants after it). Exactly one kind of
// credentials must be set: TABLEAU_PAT_NAME and TABLEAU_PAT_SECRET;
// TABLEAU_USERNAME and TABLEAU_PASSWORD; TABLEAU_JWT; or TABLEAU_CLIENT_ID,
// TABLEAU_SECRET_ID, TABLEAU_SECRET_VALUE, TABLEAU_JWT_USER and
// TABLEAU_JWT_SCOPES. A missing or malformed value is an error that names
// the variable (and never prints a secret). HTTPClient, Logger and Retry
// are left for the caller to set.
func ConfigFromEnv() (Config, error) { return ConfigFromLookup(os.LookupEnv) }

// ConfigFromLookup is [ConfigFromEnv] reading variables through lookup
// (os.LookupEnv, or a map in tests).
func ConfigFromLookup(lookup func(string) (string, bool)) (Config, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	var cfg Config
	server := get(EnvServer)
	if server == "" {
		return Config{}, fmt.Errorf("tableau: %s is not set (want the server URL, e.g. https://tableau.example.com)", EnvServer)
	}
	if _, err := parseServer(server); err != nil {
		return Config{}, fmt.Errorf("tableau: %s: %w", EnvServer, err)
	}
	cfg.Server = server
	cfg.Site = get(EnvSite)
	if v := get(EnvAPIVersion); v != "" {
		if _, _, err := parseVersion(v); err != nil {
			return Config{}, fmt.Errorf("tableau: %s: %w", EnvAPIVersion, err)
		}
		cfg.APIVersion = v
	}
	cfg.ImpersonateUserID = get(EnvImpersonateUserID)

	type kind struct {
		name  string
		vars  []string
		build func() (Credentials, error)
	}
	kinds := []kind{
		{"personal access token", []string{EnvPATName, EnvPATSecret}, func() (Credentials, error) {
			return PersonalAccessToken{Name: get(EnvPATName), Secret: get(EnvPATSecret)}, nil
		}},
		{"user name and password", []string{EnvUsername, EnvPassword}, func() (Credentials, error) {
			return Password{Username: get(EnvUsername), Password: get(EnvPassword)}, nil
		}},
		{"JWT", []string{EnvJWT}, func() (Credentials, error) {
			return JWT{Token: get(EnvJWT)}, nil
		}},
		{"connected app", []string{EnvClientID, EnvSecretID, EnvSecretValue, EnvJWTUser, EnvJWTScopes}, func() (Credentials, error) {
			scopes := strings.FieldsFunc(get(EnvJWTScopes), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
			if len(scopes) == 0 {
				return nil, fmt.Errorf("tableau: %s has no scopes (want e.g. tableau:content:read)", EnvJWTScopes)
			}
			for _, sc := range scopes {
				if !strings.HasPrefix(sc, "tableau:") {
					return nil, fmt.Errorf("tableau: %s: scope %q does not start with \"tableau:\"", EnvJWTScopes, sc)
				}
			}
			return ConnectedApp{ClientID: get(EnvClientID), SecretID: get(EnvSecretID), SecretValue: get(EnvSecretValue),
				Username: get(EnvJWTUser), Scopes: scopes}, nil
		}},
	}
	var chosen []kind
	for _, k := range kinds {
		var set, unset []string
		for _, v := range k.vars {
			if get(v) != "" {
				set = append(set, v)
			} else {
				unset = append(unset, v)
			}
		}
		if len(set) == 0 {
			continue
		}
		if len(unset) > 0 {
			return Config{}, fmt.Errorf("tableau: %s is set but %s is not (%s credentials need all of %s)",
				strings.Join(set, ", "), strings.Join(unset, ", "), k.name, strings.Join(k.vars, ", "))
		}
		chosen = append(chosen, k)
	}
	switch len(chosen) {
	case 0:
		return Config{}, fmt.Errorf("tableau: no credentials in the environment: set %s and %s, or %s and %s, or %s, or %s, %s, %s, %s and %s",
			EnvPATName, EnvPATSecret, EnvUsername, EnvPassword, EnvJWT, EnvClientID, EnvSecretID, EnvSecretValue, EnvJWTUser, EnvJWTScopes)
	case 1:
	default:
		return Config{}, fmt.Errorf("tableau: credentials of more than one kind are set (%s and %s: %s and %s); set one kind only",
			chosen[0].name, chosen[1].name, chosen[0].vars[0], chosen[1].vars[0])
	}
	creds, err := chosen[0].build()
	if err != nil {
		return Config{}, err
	}
	cfg.Credentials = creds
	return cfg, nil
}
