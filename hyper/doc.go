// Package hyper creates, reads and updates Tableau .hyper extracts from Go.
//
// It starts hyperd (the Hyper database server that ships with Tableau's
// Hyper API) and speaks its PostgreSQL-based wire protocol in pure Go,
// through the low-level layer of github.com/jackc/pgx (pgconn). Rows go in
// with COPY ... FROM STDIN WITH (FORMAT HYPERBINARY), encoded straight into
// a reused buffer, and come back in HyperBinary, decoded without going
// through text.
//
// # Process and connections
//
// [Start] finds hyperd (HYPERD_PATH as file or folder, the cache of
// scripts/install-hyperd.sh, a pip-installed tableauhyperapi, PATH) and
// starts it with a callback connection, so hyperd itself reports where it
// listens: a Unix socket by default, TCP with [ProcessOptions].TCP.
// [Process.Close] shuts it down gracefully and kills it after a timeout.
// When hyperd dies, every call fails with an error matching
// [ErrProcessExited].
//
// [Process.Connect] opens a [Conn] on a database file with a [CreateMode].
// A Conn runs statements ([Conn.Exec], [Conn.Query], [Conn.Prepare]),
// transactions ([Conn.Tx]) and attaches further databases
// ([Conn.Attach]). A statement whose context ends is cancelled on the
// server (CancelRequest); [Rows.Stop] ends a big query early the same way.
//
// # Types
//
// Every Hyper type has a constructor ([Int], [NumericType], [Varchar], ...)
// and a Go representation: bool, int16, int32, int64, float32, float64,
// [Numeric] (up to 38 digits), string, []byte, time.Time (DATE, TIMESTAMP,
// TIMESTAMPTZ), [TimeOfDay], [Interval] and uint32 (OID). NUMERIC with more
// than 18 digits and 32-bit REAL need database version 3 and 4
// ([ProcessOptions].DatabaseVersion).
//
// # Inserting
//
// An [Inserter] streams rows with typed appends (AddInt32, AddString, ...,
// EndRow), whole rows ([Inserter.AddRow]), structs ([Inserter.AddStruct],
// fields mapped by `hyper:"column"` tags) or iterators ([Conn.InsertRows]).
// Columns can be computed by SQL expressions through a staging table
// ([InserterOptions].Mappings); [InserterOptions].Progress reports rows as
// they go. Rows are encoded straight into one buffer while the other goes
// to hyperd as a single CopyData message; memory stays flat (at most two
// buffers of [InserterOptions].BufferSize, 16 MiB by default). Nothing is
// visible until [Inserter.Close] succeeds. A value that does not fit its column is a
// [*ValueError] naming row and column ([ErrWrongType],
// [ErrNullNotAllowed], [ErrRowLength]).
//
// Helpers cover the usual extract jobs: [Conn.InsertNew] (only rows with
// new keys), [Conn.InsertAboveHighWaterMark], [Conn.Upsert], [Conn.RollingWindow],
// [Conn.ReadTable], [Conn.StreamTable], [Stream] and [Collect]. hyperd
// reads CSV and Parquet files itself with [Conn.CopyFromFile] and
// [Conn.CreateTableFromFile]; Arrow goes in with [Conn.InsertArrow] and
// out with [Conn.QueryArrow].
//
// # Durability
//
// hyperd writes a database file when the database is released: at once
// on [Conn.Detach], and shortly after the last connection using it closes.
// A hyperd that crashes before that loses the changes made since, but
// never leaves a half-written file: reopened, the file shows its state as
// of the last release (TestHyperdKilledMidInsert). To make work durable
// before going on, attach the file and Detach it when done, or close
// every connection and the [Process].
//
// # Errors
//
// Server errors are [*SQLError] (SQLSTATE, message, detail, hint); bad
// values are [*ValueError]; a dead hyperd is [*ExitError]. Use errors.Is
// with the sentinels ([ErrDatabaseInUse], [ErrHyperdNotFound], ...).
package hyper
