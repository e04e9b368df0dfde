// Package tableau is what tableau-go's online packages share: credentials
// and sign-in, the [Session], the retrying HTTP transport, REST API version
// negotiation, errors, the generic [Pager] and list options.
//
// # Signing in
//
// A [Session] signs in with [Credentials]: a [PersonalAccessToken], a
// [Password], a [JWT] the caller has, or a [ConnectedApp] that mints a
// fresh HS256 JWT (with the kid and iss headers Tableau requires) for each
// sign-in. [Config].ImpersonateUserID signs in as another user.
//
//	s, err := tableau.NewSession(tableau.Config{
//		Server:      "https://tableau.example.com",
//		Site:        "finance",
//		Credentials: tableau.PersonalAccessToken{Name: "ci", Secret: secret},
//	})
//	if err != nil { ... }
//	if err := s.SignIn(ctx); err != nil { ... }
//	defer s.SignOut(ctx)
//
// [ConfigFromEnv] reads the same settings from TABLEAU_SERVER, TABLEAU_SITE,
// TABLEAU_PAT_NAME, TABLEAU_PAT_SECRET and the other variables listed at
// [EnvServer].
//
// The session keeps the token, site id, site content URL, user id and
// expiry ([Session.State]); it is safe for concurrent use. When the server
// answers 401 with code 401002 (the session expired), the session signs in
// again once, for all the goroutines that saw the expiry together, and
// replays the request. Tableau Cloud's redirect of a sign-in to the pod that
// hosts the site is followed, but only to a host under the same registrable
// domain and with the same scheme.
//
// # Versions
//
// Without [Config].APIVersion the session asks the server (Server Info, no
// sign-in needed) for its newest REST API version and uses it. Methods that
// need a newer version call [Session.RequireVersion] first and fail with a
// [*VersionError] (matching [ErrUnsupportedVersion]) that names the method,
// the version it needs and the version in use, before any request.
//
// # Retries and rate limits
//
// Requests go through go-retryablehttp with the [RetryPolicy]: 429 is
// retried after the wait its Retry-After header asks for (seconds or an
// HTTP date); 502, 503, 504 and reset connections are retried for
// idempotent requests only, with exponential backoff, jitter and a cap.
// A Retry-After also holds back the session's other new requests until it
// has passed. Every wait ends when the request's context does.
//
// # Errors
//
// Error responses become an [*Error] with the HTTP status, Tableau's code,
// summary and detail, the method and the URL; use [errors.Is] with
// [ErrNotFound], [ErrConflict], [ErrUnauthorized] and the other sentinels,
// or [errors.As] for the fields. Secrets (passwords, token secrets, JWTs,
// the session token) never appear in errors or log records.
//
// # Paging and list options
//
// A list returns a [Pager]: [Pager.All] yields every item as an
// iter.Seq2[T, error], [Pager.Page] fetches one page. [ListOptions] holds
// filters ([Eq], [Gt], [Gte], [Lt], [Lte], [In], [Has], [CIEq]), sorts
// ([Asc], [Desc]), fields ([FieldsAll], [FieldsDefault] or names), the page
// size, and how many pages to fetch in parallel (items still come in order).
//
// # Building services
//
// Package rest builds its services on [Session.Get], [Session.Post],
// [Session.Put], [Session.Delete], [Session.Do] and [Session.Send] (which
// streams response bodies for downloads and takes rewindable or one-shot
// request bodies for uploads), [Session.SitePath] for URLs under
// /api/{version}/sites/{site-id}/, and [PagedList] for list methods.
package tableau
