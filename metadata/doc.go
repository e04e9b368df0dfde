// Package metadata is a client for Tableau's GraphQL Metadata API, with
// impact analysis and data dictionaries built on it.
//
// # Client
//
// [New] wraps a signed-in [tableau.Session]; queries go to
// /api/metadata/graphql with the session's token through its retrying
// transport (429 with Retry-After, 5xx, renewing an expired session):
//
//	md, err := metadata.New(session, nil)
//	var out struct{ Workbooks []struct{ Name string } }
//	err = md.Query(ctx, `{ workbooks { name } }`, nil, &out)
//
// The typed operations in operations/*.graphql are generated with
// genqlient from schema/schema.graphql (our subset of Tableau's schema,
// with Tableau's names) into generated.go; `go generate ./metadata`
// reproduces it. [Client] implements genqlient's graphql.Client, so the
// generated functions ([PublishedDatasourcesPage], [FieldsPage], ...) take
// it directly.
//
// # Errors
//
// GraphQL errors come back as an [*Errors] together with whatever data came
// with them (decoded as usual): errors.Is matches [ErrNodeLimitExceeded],
// [ErrTimeLimitExceeded], [ErrRateExceeded], [ErrInvalidQuery],
// [ErrAccessDenied] and [ErrPartial]. A RATE_EXCEEDED answer is retried
// after a backoff ([Options].RateRetries).
//
// # Paging
//
// A [Pager] walks any ...Connection(first:, after:) field with
// pageInfo { hasNextPage endCursor }: [Pager.All] yields nodes as an
// iter.Seq2, [Pager.Pages] whole pages. On NODE_LIMIT_EXCEEDED or
// TIME_LIMIT_EXCEEDED it asks again with half the page size. For ad hoc
// queries, [Client.Connection] pages through the connection at a path.
//
// # Ingestion and indexing status
//
// On Tableau Server, a server administrator can ask how Catalog's indexing
// is doing: [Client.EventingStatus] (the queue of changes waiting to be
// indexed) and [Client.BackfillStatus] (the initial ingestion), TSC's
// metadata.eventing_status and metadata.backfill_status.
//
// # Impact analysis and data dictionary
//
// [Client.Impact] follows a database, table or column (or a published
// datasource's field) downstream to every field, calculated field,
// published datasource, sheet, dashboard and workbook that uses it, and
// writes the result as a table, CSV, JSON, Mermaid, Graphviz DOT or SVG
// (rendered in-process by github.com/goccy/go-graphviz).
// [Client.Dictionary] lists datasources and their fields with types,
// roles, formulas, inherited descriptions, certification, owners, projects
// and upstream tables, written as Markdown, CSV or a searchable HTML page.
//
// The emulator in package tableautest serves the same schema from what was
// published to it, so all of this runs in tests without a server.
package metadata
