// Package analytics is an Analytics Extensions API server: the protocol
// Tableau speaks to TabPy, answered by Go functions registered by name.
//
// An existing Tableau configuration pointed at TabPy works unchanged:
// calculated fields such as
//
//	SCRIPT_REAL("return tabpy.query('churn_risk', _arg1, _arg2)['response']", SUM([Tenure]), SUM([Charges]))
//
// call the Go function registered as "churn_risk". Scripts run no code:
// the server understands exactly two forms, the tabpy.query call above (how
// Tableau calls functions deployed to TabPy) and return int(1), Tableau's
// connection test. Any other script gets a 400 that lists them.
//
// # Endpoints
//
// GET /info, POST /evaluate, POST /query/{name}, GET /endpoints,
// GET /endpoints/{name} and GET /status, with TabPy's status codes and its
// error body {"message": ..., "info": ...}: 400 for malformed requests and
// arguments, 401 for wrong credentials, 404 for unknown functions, 406 for
// credentials sent to a server without authentication, 408 when a function
// runs past [Options].Timeout, 413 for bodies over [Options].MaxRequestBytes,
// 500 when a function fails or panics (the server keeps serving).
//
// # Functions
//
// [Server.Register] takes a function whose parameters are columns
// ([]float64, []int64, []int, []string, []bool), optionally after a
// context.Context, and that returns a column and an error. Its signature
// is checked when it is registered; its arguments (count, types, equal
// lengths) before every call; its result (one value, or one per row) after.
// In []float64 parameters Tableau's nulls (and Python's NaN, which TabPy's
// client sends) arrive as NaN; NaN and infinite results go back as null.
// A null in any other column type is a 400 naming the argument and row.
// [Server.RegisterTable] adds a table extension: a [Table] in, a [Table] out.
// Package builtin registers statistics (Welch's t-test, one-way ANOVA,
// k-means, a linear regression forecast), logistic-regression scoring of a
// model trained from a CSV, and VADER sentiment.
//
// # Authentication and transport
//
// [Options].Credentials, read with [LoadPasswordFile] from a password file in
// TabPy's format (written by tabpy-user, or with [HashPassword]), turns on
// HTTP Basic authentication for every endpoint. [Server.ListenAndServe]
// serves HTTP or, given a certificate and key, HTTPS; it shuts down
// gracefully when its context is done. Request bodies may be gzip-compressed.
//
// # Performance
//
// Requests are validated as strict JSON in one pass that also decodes
// plain numeric arguments into []float64, and the function runs on the
// request's goroutine; answers over 3 KiB are written with the socket
// corked (Linux) so that they leave as one segment. See
// docs/benchmarks/analytics.md for the comparison with TabPy (with
// 1,000-value arguments and 8 connections, /query at 36× TabPy's requests
// per second and /evaluate at 100×; with one connection 16× and 43×).
//
// # Errors
//
// The server answers with [*Error] values; errors.Is matches them to the
// sentinels ([ErrBadRequest], [ErrNotFound], [ErrTimeout], ...). A function
// may return an *Error to choose its own status and message.
package analytics
