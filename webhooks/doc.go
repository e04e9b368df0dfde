// Package webhooks receives Tableau webhooks and acts on them reliably.
//
// Tableau (Server 2019.4 and later, and Cloud) POSTs a small JSON payload to
// a URL of yours when an event happens on a site:
//
//	{"resource":"DATASOURCE","event_type":"DatasourceRefreshFailed",
//	 "resource_name":"Sales","site_luid":"…","resource_luid":"…",
//	 "created_at":"2026-12-03T10:11:12Z"}
//
// # Events
//
// [Events] lists Tableau's catalogue; each [EventType] knows both of its
// names: the payload name ([DatasourceRefreshFailed]) and the REST API
// (webhook-source) name ("webhook-source-event-datasource-refresh-failed")
// through [EventType.SourceName]. [ParseEventType] accepts either.
// [ParseEvent] decodes a payload into an [Event], ignoring fields it does not
// know; an empty payload, which Tableau's "Test a Webhook" call sends, is
// the [EventTest] event.
//
// # Managing
//
// [Subscribe] creates, through the REST API
// ([github.com/tableau-go/sdk/rest.WebhooksService]), one Tableau webhook
// per event type pointing at your handler, after checking the names and the
// destination; [Unsubscribe] deletes them. The rest package has the full
// service (list, get, update, test, delete).
//
// # Receiving
//
// A [Handler] is a [net/http.Handler]. Tableau does not sign its requests,
// so the handler protects itself: a secret token in the URL (compared in
// constant time), an optional allowlist of source networks, a body size
// limit (413), a JSON content-type check (415) and, optionally, a
// [Confirmer] that checks with Tableau that the event happened:
// [SessionConfirmer] looks the resource up through the REST API, and
// [LookupItem] fetches a workbook's or data source's project, owner and page
// for richer messages.
// [DestinationURL] builds the URL to register with Tableau (token included)
// and [CheckDestination] validates one before it is sent to Tableau.
//
// Tableau may deliver one event several times with identical payloads; the
// handler drops duplicates seen within [Options.DedupWindow].
//
// Processing is at-least-once: an accepted event is written to a bbolt file
// and fsynced before the handler answers 200; [Handler.Run] then delivers it
// to each [Receiver] registered for its type with [Handler.Handle],
// retrying failures with exponential backoff (a receiver returns
// [Permanent] to give up, or [RetryAfter] to ask for a delay). Delivery
// progress is stored per receiver, so a receiver that succeeded is not
// called again when another one fails. Events still undelivered when the
// process stops, cleanly or not, are delivered after the next start.
// [Handler.Close] shuts down cleanly within a context's deadline.
//
// Receivers must tolerate seeing an event twice: a delivery cut short by a
// crash, or finished in the last few milliseconds before one, is repeated. Events are delivered concurrently ([Options.Workers])
// and retried independently, so their order is not kept: use
// [Event.CreatedAt] where order matters.
//
// # Notifiers
//
// Package [github.com/tableau-go/sdk/webhooks/notify] has receivers that post
// to Slack, Microsoft Teams and email, each with a template you can change.
//
// # Errors
//
// Errors match the sentinels [ErrUnknownEvent], [ErrBadPayload],
// [ErrNotConfirmed] and [ErrClosed] with errors.Is; a bad payload is a
// *[PayloadError] naming the field at fault. Tokens never appear in errors or
// logs.
package webhooks
