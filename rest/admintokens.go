package rest

import "context"

// AuthService holds the authentication methods that are not signing in
// (which is [tableau.Session]'s). c.Auth.
type AuthService struct{ service }

// RevokeAllServerAdminTokens revokes the personal access tokens of every
// server administrator (API 3.10, server administrators only). The
// session itself goes on; signing in again with a revoked token fails.
func (sv *AuthService) RevokeAllServerAdminTokens(ctx context.Context) error {
	const m = "Auth.RevokeAllServerAdminTokens"
	if err := sv.s.RequireVersion("rest."+m, "3.10"); err != nil {
		return err
	}
	return sv.s.Post(ctx, "auth/revokeAllServerAdminTokens", nil, nil, nil)
}
