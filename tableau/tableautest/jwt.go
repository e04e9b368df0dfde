package tableautest

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// maxJWTLifetime is the longest exp a connected app may set (Tableau: 10 minutes).
const maxJWTLifetime = 10 * time.Minute

// connectedAppClaims are the claims of a connected-app (direct trust) JWT.
type connectedAppClaims struct {
	jwt.RegisteredClaims
	Scopes []string `json:"scp"`
}

// verifyJWT checks a connected-app JWT against the server's connected app
// and returns the user name (sub) and scopes. It requires HS256, the kid
// header equal to the secret id, the iss header (when present) and claim
// equal to the client id, aud "tableau", exp no more than 10 minutes ahead,
// jti and a non-empty scp. Errors never contain the token or the secret.
func (s *Server) verifyJWT(token string) (sub string, scopes []string, err error) {
	var claims connectedAppClaims
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"HS256"}),
		jwt.WithAudience("tableau"),
		jwt.WithIssuer(s.creds.ClientID),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(5*time.Second),
	)
	_, err = parser.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid != s.creds.SecretID {
			return nil, errors.New("kid header is not the connected app's secret id")
		}
		if iss, ok := t.Header["iss"]; ok && iss != s.creds.ClientID {
			return nil, errors.New("iss header is not the connected app's client id")
		}
		return []byte(s.creds.SecretValue), nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("connected-app JWT rejected: %w", err)
	}
	if claims.ExpiresAt.After(time.Now().Add(maxJWTLifetime + 5*time.Second)) {
		return "", nil, errors.New("connected-app JWT rejected: exp is more than 10 minutes ahead")
	}
	if claims.ID == "" {
		return "", nil, errors.New("connected-app JWT rejected: no jti claim")
	}
	if claims.Subject == "" {
		return "", nil, errors.New("connected-app JWT rejected: no sub claim")
	}
	if len(claims.Scopes) == 0 {
		return "", nil, errors.New("connected-app JWT rejected: no scp claim")
	}
	return claims.Subject, claims.Scopes, nil
}
