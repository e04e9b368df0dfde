// Package tableautest is an in-memory Tableau Server for tests, examples and
// benchmarks: it speaks the Tableau REST API (XML in the
// http://tableau.com/api namespace) over real HTTP on a loopback port, the
// way net/http/httptest serves handlers.
//
// # Starting a server
//
// [NewServer] starts one and [NewTestServer] does the same for a test and
// closes it when the test ends. [Server.URL] is the address to point a
// client at, and [Server.Credentials] holds ready-made identities: an admin
// (ServerAdministrator on every site) with a password, a personal access
// token of that admin, and a connected app (direct trust) whose HS256 JWTs
// the server verifies.
//
//	srv := tableautest.NewTestServer(t, nil)
//	cr := srv.Credentials()
//	// sign in at srv.URL() with cr.PATName and cr.PATSecret ...
//
// # What it serves
//
//   - GET /api/{v}/serverinfo without sign-in.
//   - POST /api/{v}/auth/signin with a password, a personal access token
//     or a connected-app JWT, with optional impersonation (<user id>);
//     auth/signout; auth/switchSite. Wrong credentials answer 401 with
//     code 401001; an expired token 401 with code 401002.
//   - Sites: list, get by id, name (?key=name) or content URL
//     (?key=contentUrl), create, update, delete.
//   - Projects, nested: list, create, update (an empty update returns the
//     project, as the REST API has no GET for one project), delete (with
//     the nested projects). A duplicate name under the same parent answers
//     409 with code 409006, a missing project 404 with code 404005.
//     Creating needs a site or server administrator; updating and deleting
//     an administrator or the project's owner. The Default project cannot
//     be deleted.
//
// Lists take pageSize (default 100, at most 1000) and pageNumber, filter
// expressions (field:op:value with eq, gt, gte, lt, lte, in with [a,b]
// lists, has, cieq; * in an eq value is a wildcard), sort (field:asc,
// field:desc) and fields (_all_, _default_ first when present, names such
// as owner.name). A page past the last one is empty.
//
// As on Tableau Server, Query Site by id, Update Site and Delete Site work
// only on the site signed in to (switch first); a server administrator may
// query any site by name or content URL.
//
// # Connected apps
//
// A JWT sign-in (<credentials jwt="...">) is verified as Tableau's direct
// trust does: HS256 signed with Credentials.SecretValue, header kid equal
// to SecretID (and iss, when present, to ClientID), claims iss = ClientID,
// aud = "tableau", sub = a user of the site (see [Server.AddUser]), exp at
// most 10 minutes ahead, jti and scp present. The session may then only
// call methods its scp scopes grant ("tableau:content:read",
// "tableau:projects:*", ...); others answer 403.
//
// # Content, governance, lineage and webhooks
//
// Beyond sites and projects the emulator serves the rest of the REST API
// that package rest covers, one file per resource:
//
//   - Workbooks, datasources, views, jobs and upload sessions: published
//     bytes are stored and downloaded unchanged (a .hyper must start with
//     hyperd's "Hyper" signature; views and connections are read from the
//     published .twb/.tds); exports are valid PNG, PDF, CSV, XLSX and PPTX
//     files; refreshes run as jobs over [Server.SetJobDuration] and fail on
//     request ([Server.FailJobs], [Server.FailRefreshesOf]);
//     [Server.CutDownloads] cuts downloads short; [Server.Seed] fills a
//     site with N projects, workbooks, datasources and views;
//     [SampleTWB], [SampleTDS], [SampleHyper] and [SamplePackage] make
//     small files to publish. Update Data in Hyper Data Source (PATCH
//     datasources/{id}/data) applies its insert, update, upsert, delete
//     and replace actions to the stored extract (a .hyper, or the .hyper
//     inside a .tdsx) in hyperd, in order and in one transaction, with the
//     uploaded .hyper as the source; a failing action fails the job with a
//     note naming it and changes nothing. This needs hyperd (found as
//     package hyper finds it); without it those jobs fail with a note
//     saying so.
//   - Users (with CSV import and delete jobs), groups (local and Active
//     Directory, see [Server.SetDirectoryGroup]), group sets, permissions
//     and project default permissions, schedules and extract-refresh,
//     flow and linked tasks ([Server.AddLinkedTask]; schedules fire by
//     the clock with [Options].FireSchedules, and on demand with
//     [Server.RunSchedule]), favorites,
//     subscriptions, data alerts, custom views, tags, data quality
//     warnings, flows and flow runs, metrics ([Server.AddMetric]),
//     virtual connections, Catalog databases and tables
//     ([Server.AddDatabase]) and extension settings.
//   - Webhooks: events (publish, update, delete, refresh started,
//     succeeded and failed, user deleted, admin promoted and demoted,
//     labels) are delivered as real POSTs to the registered URLs, retried
//     ([Server.SetWebhookRetry]) and recorded ([Server.WebhookDeliveries],
//     [Server.WaitWebhooks]). Plain http://127.0.0.1 destinations are
//     allowed here only.
//   - The GraphQL Metadata API at /api/metadata/graphql, on the schema of
//     package metadata, answered from what was published: databases,
//     tables and columns from connections and relations, fields and
//     calculated fields with their references, sheets and dashboards.
//     [Server.SetMetadataNodeLimit] sets the node limit low to test paging,
//     [Server.FailMetadata] injects GraphQL error codes,
//     [Server.MetadataRequests] counts queries, and
//     [MetadataSampleDatasource] and [MetadataSampleWorkbook] are files
//     with lineage to publish.
//
// # Faults and sessions
//
// [Server.Faults] makes the next requests fail: 429 with a Retry-After,
// a 5xx status, or a dropped connection, optionally only for paths
// containing a string ([Faults.OnlyPath]). [Server.ExpireSessions] makes
// every token answer 401002, and [Options].SessionLifetime shortens
// sessions. [Options].Latency delays every response, for benchmarks that
// need a realistic server. [Server.Stats] counts requests, sign-ins and
// sign-outs.
//
// Everything is safe for concurrent use. The server keeps no state on disk.
//
// cmd/tableau-emulator serves the same from the command line. EXTENDING.md,
// next to this file, explains how to add a resource.
package tableautest
