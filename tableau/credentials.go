package tableau

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Credentials is what [Session.SignIn] signs in with: a
// [PersonalAccessToken], a [Password], a [JWT] or a [ConnectedApp]. Every
// implementation prints and logs with its secrets redacted.
type Credentials interface {
	// kind names the credential type in messages.
	kind() string
	// attrs returns the attributes of the sign-in request's <credentials>.
	attrs(now time.Time) (credentialAttrs, error)
	// secretValues lists the secrets that must never be logged.
	secretValues() []string
}

// credentialAttrs are the attributes of <credentials> in a sign-in request.
type credentialAttrs struct {
	Name      string `xml:"name,attr,omitempty"`
	Password  string `xml:"password,attr,omitempty"`
	PATName   string `xml:"personalAccessTokenName,attr,omitempty"`
	PATSecret string `xml:"personalAccessTokenSecret,attr,omitempty"`
	JWT       string `xml:"jwt,attr,omitempty"`
}

const redacted = "[REDACTED]"

// PersonalAccessToken signs in with a personal access token (REST API 3.6 and later).
type PersonalAccessToken struct {
	Name   string // the token's name
	Secret string // the token's secret
}

func (c PersonalAccessToken) kind() string { return "personal access token" }

func (c PersonalAccessToken) attrs(time.Time) (credentialAttrs, error) {
	if c.Name == "" || c.Secret == "" {
		return credentialAttrs{}, fmt.Errorf("%w: personal access token needs a Name and a Secret", ErrInvalidArgument)
	}
	return credentialAttrs{PATName: c.Name, PATSecret: c.Secret}, nil
}

func (c PersonalAccessToken) secretValues() []string { return []string{c.Secret} }

// String returns the token's name with the secret redacted.
func (c PersonalAccessToken) String() string {
	return fmt.Sprintf("PersonalAccessToken{Name: %q, Secret: %s}", c.Name, redacted)
}

// GoString is like String, so %#v does not print the secret.
func (c PersonalAccessToken) GoString() string { return "tableau." + c.String() }

// LogValue implements slog.LogValuer without the secret.
func (c PersonalAccessToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", c.kind()), slog.String("name", c.Name))
}

// Password signs in with a user name and password.
type Password struct {
	Username string
	Password string
}

func (c Password) kind() string { return "user name and password" }

func (c Password) attrs(time.Time) (credentialAttrs, error) {
	if c.Username == "" || c.Password == "" {
		return credentialAttrs{}, fmt.Errorf("%w: password credentials need a Username and a Password", ErrInvalidArgument)
	}
	return credentialAttrs{Name: c.Username, Password: c.Password}, nil
}

func (c Password) secretValues() []string { return []string{c.Password} }

// String returns the user name with the password redacted.
func (c Password) String() string {
	return fmt.Sprintf("Password{Username: %q, Password: %s}", c.Username, redacted)
}

// GoString is like String, so %#v does not print the password.
func (c Password) GoString() string { return "tableau." + c.String() }

// LogValue implements slog.LogValuer without the password.
func (c Password) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", c.kind()), slog.String("username", c.Username))
}

// JWT signs in with a JSON Web Token the caller already has (a connected
// app's, REST API 3.17 and later). A JWT is short-lived and usually single
// use: a session that must sign in again after its token expired fails
// with it; use [ConnectedApp] to have the session mint a fresh one.
type JWT struct {
	Token string
}

func (c JWT) kind() string { return "JSON web token" }

func (c JWT) attrs(time.Time) (credentialAttrs, error) {
	if c.Token == "" {
		return credentialAttrs{}, fmt.Errorf("%w: JWT credentials need a Token", ErrInvalidArgument)
	}
	return credentialAttrs{JWT: c.Token}, nil
}

func (c JWT) secretValues() []string { return []string{c.Token} }

// String redacts the token.
func (c JWT) String() string { return "JWT{Token: " + redacted + "}" }

// GoString is like String.
func (c JWT) GoString() string { return "tableau." + c.String() }

// LogValue implements slog.LogValuer without the token.
func (c JWT) LogValue() slog.Value { return slog.GroupValue(slog.String("kind", c.kind())) }

// ConnectedApp signs in with a JWT minted for each sign-in from a connected
// app with direct trust: HS256, signed with the secret value, with the
// "kid" (secret id) and "iss" (client id) headers and the claims iss, sub,
// aud ("tableau"), exp, jti and scp that Tableau requires.
type ConnectedApp struct {
	ClientID    string   // the connected app's client id (iss)
	SecretID    string   // the id of the app's secret (kid)
	SecretValue string   // the app's secret value, the HS256 key
	Username    string   // the Tableau user to sign in as (sub)
	Scopes      []string // scp, for example "tableau:content:read"
	// Lifetime of each minted token. Tableau accepts at most 10 minutes.
	// Default: 5 minutes.
	Lifetime time.Duration
}

func (c ConnectedApp) kind() string { return "connected app" }

// Token mints a signed JWT valid from now.
func (c ConnectedApp) Token(now time.Time) (string, error) {
	switch {
	case c.ClientID == "":
		return "", fmt.Errorf("%w: connected app needs a ClientID", ErrInvalidArgument)
	case c.SecretID == "":
		return "", fmt.Errorf("%w: connected app needs a SecretID", ErrInvalidArgument)
	case c.SecretValue == "":
		return "", fmt.Errorf("%w: connected app needs a SecretValue", ErrInvalidArgument)
	case c.Username == "":
		return "", fmt.Errorf("%w: connected app needs a Username", ErrInvalidArgument)
	case len(c.Scopes) == 0:
		return "", fmt.Errorf("%w: connected app needs at least one scope, for example tableau:content:read", ErrInvalidArgument)
	}
	life := c.Lifetime
	if life <= 0 {
		life = 5 * time.Minute
	}
	if life > 10*time.Minute {
		return "", fmt.Errorf("%w: connected app token lifetime %s exceeds the 10 minutes Tableau accepts", ErrInvalidArgument, life)
	}
	claims := jwt.MapClaims{
		"iss": c.ClientID,
		"sub": c.Username,
		"aud": "tableau",
		"exp": now.Add(life).Unix(),
		"jti": rand.Text(),
		"scp": append([]string(nil), c.Scopes...),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = c.SecretID
	tok.Header["iss"] = c.ClientID
	s, err := tok.SignedString([]byte(c.SecretValue))
	if err != nil {
		return "", fmt.Errorf("tableau: signing connected app token: %w", err)
	}
	return s, nil
}

func (c ConnectedApp) attrs(now time.Time) (credentialAttrs, error) {
	tok, err := c.Token(now)
	if err != nil {
		return credentialAttrs{}, err
	}
	return credentialAttrs{JWT: tok}, nil
}

func (c ConnectedApp) secretValues() []string { return []string{c.SecretValue} }

// String prints the app's ids with the secret value redacted.
func (c ConnectedApp) String() string {
	return fmt.Sprintf("ConnectedApp{ClientID: %q, SecretID: %q, SecretValue: %s, Username: %q, Scopes: %q}",
		c.ClientID, c.SecretID, redacted, c.Username, c.Scopes)
}

// GoString is like String.
func (c ConnectedApp) GoString() string { return "tableau." + c.String() }

// LogValue implements slog.LogValuer without the secret value.
func (c ConnectedApp) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kind", c.kind()), slog.String("client_id", c.ClientID),
		slog.String("username", c.Username))
}
