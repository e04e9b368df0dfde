// Package sdk is tableau-go, a Go SDK for automating Tableau end to end.
//
// The SDK is a set of packages, each importable on its own:
//
//   - [github.com/tableau-go/sdk/tableau]: what the online packages share:
//     credentials and sign-in, the session, the retrying HTTP transport,
//     API version negotiation, errors, paging and request options.
//   - [github.com/tableau-go/sdk/tableau/tableautest]: an in-memory Tableau
//     Server for tests, examples and benchmarks.
//   - github.com/tableau-go/sdk/rest: the Tableau REST API.
//   - github.com/tableau-go/sdk/metadata: the GraphQL Metadata API.
//   - github.com/tableau-go/sdk/hyper: .hyper extracts through a real hyperd.
//   - github.com/tableau-go/sdk/document: workbook and datasource files.
//   - github.com/tableau-go/sdk/webhooks: managing and receiving webhooks.
//   - github.com/tableau-go/sdk/analytics: an Analytics Extensions API server.
//
// The README lists what each package covers today.
package sdk

// Version is the version of tableau-go. The tableau package sends it in the
// User-Agent header as "tableau-go/<Version>".
const Version = "0.1.0"
