package analytics

import (
	"log/slog"
	"time"
)

// Options configure a [Server]. A nil *Options means all defaults.
type Options struct {
	// Name is the server name reported by GET /info and used as the
	// authentication realm. Default: "TabPy Server" (what Tableau expects
	// from a TabPy-compatible extension).
	Name string
	// Description is reported by GET /info. Default: "tableau-go analytics extension".
	Description string
	// Credentials enables HTTP Basic authentication on every endpoint (see
	// [LoadPasswordFile]). Default: nil, no authentication; a request that
	// carries credentials anyway is refused with 406, as TabPy does.
	Credentials *Credentials
	// MaxRequestBytes limits request bodies, after gzip decompression as
	// well as before. Larger requests get 413. Default: 100 MiB (TabPy's
	// default TABPY_MAX_REQUEST_SIZE_MB).
	MaxRequestBytes int64
	// Timeout bounds each function call; a call that runs longer gets 408.
	// The function's context is cancelled at the deadline; a function that
	// ignores its context runs on in the background until it returns (Go
	// cannot stop a goroutine), and its result is discarded. Default: 30s
	// (TabPy's default TABPY_EVALUATE_TIMEOUT).
	Timeout time.Duration
	// DisableEvaluate answers every POST /evaluate with 404, as TabPy does
	// when TABPY_EVALUATE_ENABLE is false. /query keeps working.
	// Default: false.
	DisableEvaluate bool
	// DisableGzip refuses gzip request bodies with 415 and reports
	// gzip_enabled false in /info. Default: false (gzip accepted).
	DisableGzip bool
	// ShutdownTimeout bounds graceful shutdown in [Server.Serve]: requests
	// in flight get this long to finish. Default: 10s.
	ShutdownTimeout time.Duration
	// Logger receives one line per failed request and per start and stop.
	// Credentials are never logged. Default: nil, no logging.
	Logger *slog.Logger
}

const (
	defaultName            = "TabPy Server"
	defaultDescription     = "tableau-go analytics extension"
	defaultMaxRequestBytes = 100 << 20
	defaultTimeout         = 30 * time.Second
	defaultShutdownTimeout = 10 * time.Second
)

func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.Name == "" {
		c.Name = defaultName
	}
	if c.Description == "" {
		c.Description = defaultDescription
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = defaultMaxRequestBytes
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultTimeout
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = defaultShutdownTimeout
	}
	return c
}
