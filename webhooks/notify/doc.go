// Package notify has [github.com/tableau-go/sdk/webhooks.Receiver]s that tell
// people about Tableau events:
//
//   - [Slack] posts a Block Kit message to a Slack incoming webhook;
//   - [Teams] posts an Adaptive Card to a Microsoft Teams Workflows webhook;
//   - [Email] sends a plain-text message over SMTP (with go-mail).
//
// Each renders a title (or subject) and a body from a text/template executed
// with [Data]: the event, a one-line [Summary] of its type, an optional link
// and, with a [LookupFunc] such as one calling
// [github.com/tableau-go/sdk/webhooks.LookupItem], the workbook or data
// source (project, owner, page on Tableau) fetched through the REST API. The defaults are the Default* constants; set the options' templates
// to change them. Template functions: when (formats a time), summary, upper,
// lower, and for Slack esc (escapes mrkdwn); add your own with Funcs.
//
// Failures are classified for the handler's retries: HTTP 4xx answers and
// SMTP 5xx replies are permanent; 429 is retried after its Retry-After;
// 5xx answers, SMTP 4xx replies and network errors are retried. Webhook URLs
// and SMTP passwords are secrets and never appear in errors.
package notify
