package tableautest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tableau-go/sdk/document"
	"github.com/tableau-go/sdk/hyper"
)

// updateDataTimeout bounds the hyperd work of one update-data job.
const updateDataTimeout = 5 * time.Minute

// runUpdateData applies the actions of update-data job j to the stored
// extract of its datasource, outside store.mu: it waits for the previous
// update of the same datasource (prev), copies the stored content, applies
// the actions in hyperd and, if they all succeed, sets j.onSuccess to swap
// the new bytes in under the lock when the job settles. On failure the job
// fails with a note and the content stays as it was.
func (s *Server) runUpdateData(j *job, prev <-chan struct{}, actions []updateAction, source *blob) {
	if prev != nil {
		<-prev
	}
	s.store.mu.Lock()
	var content *blob
	var fileType string
	var rev *revision
	skip := j.finished || j.willFail
	if !skip {
		if it := s.store.content.items[j.resID]; it != nil && len(it.Revisions) > 0 && it.current().Data != nil {
			rev = it.current()
			content, fileType = rev.Data, it.FileType
		}
	}
	s.store.mu.Unlock()

	var data []byte
	var err error
	switch {
	case skip:
	case content == nil:
		err = errors.New("the datasource has no stored content to update")
	default:
		ctx, cancel := context.WithTimeout(s.life, updateDataTimeout)
		data, err = applyUpdate(ctx, content, fileType, source, actions)
		cancel()
	}

	s.store.mu.Lock()
	j.busy = false
	if !skip {
		if err != nil {
			j.willFail, j.failNote = true, noteOf(err)
		} else {
			j.onSuccess = func(st *store) ([]event, error) {
				it := st.content.items[j.resID]
				if it == nil || len(it.Revisions) == 0 || it.current() != rev || rev.Data != content {
					return nil, errors.New("the datasource's content changed (republished or deleted) while the update ran; its data was not changed")
				}
				b := &blob{}
				b.Write(data) //nolint:errcheck // never fails
				rev.Data, rev.Size = b, b.size
				return nil, nil
			}
		}
	}
	now := time.Now().UTC()
	evs := s.store.settle(j, now)
	if !j.finished {
		// Settle the job itself when it is due, also if the site (and
		// with it the job's entry that startJob's timer looks up) goes.
		time.AfterFunc(j.Started.Add(j.Duration).Sub(now), func() {
			s.store.mu.Lock()
			evs := s.store.settle(j, time.Now().UTC())
			s.store.mu.Unlock()
			for _, e := range evs {
				s.emit(e)
			}
		})
	}
	s.store.mu.Unlock()
	for _, e := range evs {
		s.emit(e)
	}
}

// noteOf makes an error a job's status note: one line (hyperd's errors
// quote the statement over several), starting with a capital letter.
func noteOf(err error) string {
	n := strings.Join(strings.Fields(err.Error()), " ")
	if n != "" {
		n = strings.ToUpper(n[:1]) + n[1:]
	}
	return n
}

// applyUpdate returns content with the actions applied. content is a bare
// .hyper (fileType "hyper") or a .tdsx holding one; source is the uploaded
// .hyper (nil when no action reads one).
func applyUpdate(ctx context.Context, content *blob, fileType string, source *blob, actions []updateAction) ([]byte, error) {
	dir, err := os.MkdirTemp("", "tableautest-update-")
	if err != nil {
		return nil, fmt.Errorf("the emulator could not make a temporary folder: %v", err)
	}
	defer os.RemoveAll(dir)
	target := filepath.Join(dir, "target.hyper")
	var doc *document.Document
	var entry string
	switch fileType {
	case "hyper":
		if err := writeBlob(target, content); err != nil {
			return nil, err
		}
	case "tdsx":
		doc, entry, err = extractFromPackage(ctx, content, target)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("the datasource's file is a .%s, which holds no .hyper extract to update", fileType)
	}
	srcPath := ""
	if source != nil {
		srcPath = filepath.Join(dir, "source.hyper")
		if err := writeBlob(srcPath, source); err != nil {
			return nil, err
		}
	}
	if err := runActions(ctx, target, srcPath, actions); err != nil {
		return nil, err
	}
	if doc == nil {
		out, err := os.ReadFile(target)
		if err != nil {
			return nil, fmt.Errorf("the emulator could not read the updated extract: %v", err)
		}
		return out, nil
	}
	if err := doc.ReplaceEntryFile(entry, target); err != nil {
		return nil, fmt.Errorf("the emulator could not put the updated extract back into the package: %v", err)
	}
	var buf bytes.Buffer
	if err := doc.Write(ctx, &buf); err != nil {
		return nil, fmt.Errorf("the emulator could not write the updated package: %v", err)
	}
	return buf.Bytes(), nil
}

// writeBlob writes b to a new file at p.
func writeBlob(p string, b *blob) error {
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("the emulator could not write a temporary file: %v", err)
	}
	_, err = io.Copy(f, b.reader())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("the emulator could not write a temporary file: %v", err)
	}
	return nil
}

// extractFromPackage opens a .tdsx with package document, copies its
// .hyper entry to target and returns the document and the entry's name.
func extractFromPackage(ctx context.Context, content *blob, target string) (*document.Document, string, error) {
	doc, err := document.Read(ctx, content.reader(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("the stored .tdsx cannot be read: %v", err)
	}
	entry := ""
	for _, e := range doc.Entries() {
		if !e.Document && strings.EqualFold(path.Ext(e.Name), ".hyper") {
			entry = e.Name
			break
		}
	}
	if entry == "" {
		return nil, "", errors.New("the stored .tdsx holds no .hyper extract")
	}
	zr, err := zip.NewReader(content, content.size)
	if err != nil {
		return nil, "", fmt.Errorf("the stored .tdsx cannot be read: %v", err)
	}
	rc, err := zr.Open(entry)
	if err != nil {
		return nil, "", fmt.Errorf("the stored .tdsx's %s cannot be read: %v", entry, err)
	}
	defer rc.Close()
	f, err := os.Create(target)
	if err != nil {
		return nil, "", fmt.Errorf("the emulator could not write a temporary file: %v", err)
	}
	_, err = io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, "", fmt.Errorf("the stored .tdsx's %s cannot be read: %v", entry, err)
	}
	return doc, entry, nil
}

// Aliases of the attached databases and of the tables in conditions.
const (
	targetDB    = "target"
	sourceDB    = "source"
	targetAlias = "t"
	sourceAlias = "s"
)

// runActions starts hyperd, attaches target (and source, when not empty)
// and runs every action in one transaction.
func runActions(ctx context.Context, target, source string, actions []updateAction) error {
	proc, err := hyper.Start(ctx, nil)
	if err != nil {
		if errors.Is(err, hyper.ErrHyperdNotFound) {
			return fmt.Errorf("the emulator needs hyperd to apply update-data actions (set HYPERD_PATH or run scripts/install-hyperd.sh): %v", err)
		}
		return fmt.Errorf("the emulator could not start hyperd: %v", err)
	}
	defer proc.Close()
	c, err := proc.Connect(ctx, "", hyper.CreateNone)
	if err != nil {
		return fmt.Errorf("the emulator could not connect to hyperd: %v", err)
	}
	defer c.Close()
	if err := c.Attach(ctx, target, targetDB); err != nil {
		return fmt.Errorf("the stored extract cannot be opened: %v", err)
	}
	if source != "" {
		if err := c.Attach(ctx, source, sourceDB); err != nil {
			return fmt.Errorf("the uploaded .hyper file cannot be opened: %v", err)
		}
	}
	err = c.Tx(ctx, func(ctx context.Context) error {
		for i, a := range actions {
			stmts, err := actionSQL(ctx, c, a, source != "")
			if err == nil {
				for _, q := range stmts {
					if _, err = c.Exec(ctx, q); err != nil {
						break
					}
				}
			}
			if err != nil {
				return fmt.Errorf("action %d (%s) failed: %v", i, a.Action, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := c.Detach(ctx, targetDB); err != nil {
		return fmt.Errorf("the emulator could not write the updated extract: %v", err)
	}
	return nil
}

// tableRef is a resolved table: database alias, schema, table and columns.
type tableRef struct {
	db, schema, table string
	cols              []string
}

func (r tableRef) String() string {
	return hyper.QuoteIdent(r.db) + "." + hyper.QuoteIdent(r.schema) + "." + hyper.QuoteIdent(r.table)
}

func (r tableRef) has(col string) bool {
	for _, c := range r.cols {
		if c == col {
			return true
		}
	}
	return false
}

// resolveTable finds a table in an attached database. Without a schema the
// table must be in exactly one schema.
func resolveTable(ctx context.Context, c *hyper.Conn, db, schema, table, role string) (tableRef, error) {
	var schemas []string
	if schema != "" {
		schemas = []string{schema}
	} else {
		all, err := c.Schemas(ctx, db)
		if err != nil {
			return tableRef{}, err
		}
		schemas = all
	}
	var found []tableRef
	for _, sc := range schemas {
		ok, err := c.HasTable(ctx, hyper.TableName{Database: db, Schema: sc, Table: table})
		if err != nil {
			return tableRef{}, err
		}
		if ok {
			found = append(found, tableRef{db: db, schema: sc, table: table})
		}
	}
	switch {
	case len(found) == 0 && schema != "":
		return tableRef{}, fmt.Errorf("the %s table %q.%q does not exist", role, schema, table)
	case len(found) == 0:
		return tableRef{}, fmt.Errorf("the %s table %q does not exist", role, table)
	case len(found) > 1:
		return tableRef{}, fmt.Errorf("the %s table %q is in several schemas; name the %s-schema", role, table, role)
	}
	ref := found[0]
	def, err := c.TableDefinition(ctx, hyper.TableName{Database: db, Schema: ref.schema, Table: table})
	if err != nil {
		return tableRef{}, err
	}
	for _, col := range def.Columns {
		ref.cols = append(ref.cols, col.Name)
	}
	return ref, nil
}

// actionSQL translates one action into SQL statements.
func actionSQL(ctx context.Context, c *hyper.Conn, a updateAction, haveSource bool) ([]string, error) {
	tgt, err := resolveTable(ctx, c, targetDB, a.TargetSchema, a.TargetTable, "target")
	if err != nil {
		return nil, err
	}
	var src tableRef
	if a.SourceTable != "" {
		if !haveSource {
			return nil, errors.New("it reads a source-table but no .hyper file was uploaded")
		}
		if src, err = resolveTable(ctx, c, sourceDB, a.SourceSchema, a.SourceTable, "source"); err != nil {
			return nil, err
		}
	}
	var cond string
	used := map[string]bool{}
	if a.Action != "insert" && a.Action != "replace" {
		cond, err = conditionSQL(a.Condition, tgt, src, a.SourceTable != "", used)
		if err != nil {
			return nil, fmt.Errorf("bad condition: %v", err)
		}
	}
	// mapped: the source columns copied into the target, by name.
	mapped := func(allowUnused bool) ([]string, error) {
		var cols []string
		for _, col := range src.cols {
			switch {
			case tgt.has(col):
				cols = append(cols, col)
			case allowUnused && used[col]:
			default:
				return nil, fmt.Errorf("the source column %q has no column of that name in the target table", col)
			}
		}
		if len(cols) == 0 {
			return nil, errors.New("no source column matches a target column")
		}
		return cols, nil
	}
	list := func(prefix string, cols []string) string {
		parts := make([]string, len(cols))
		for i, col := range cols {
			parts[i] = prefix + hyper.QuoteIdent(col)
		}
		return strings.Join(parts, ", ")
	}
	insertAll := func(cols []string, where string) string {
		q := "INSERT INTO " + tgt.String() + " (" + list("", cols) + ") SELECT " + list(sourceAlias+".", cols) +
			" FROM " + src.String() + " AS " + sourceAlias
		if where != "" {
			q += " WHERE " + where
		}
		return q
	}
	update := func(cols []string) string {
		return "UPDATE " + tgt.String() + " AS " + targetAlias + " SET (" + list("", cols) + ") = (SELECT " +
			list(sourceAlias+".", cols) + " FROM " + src.String() + " AS " + sourceAlias + " WHERE " + cond + " LIMIT 1)" +
			" WHERE EXISTS (SELECT 1 FROM " + src.String() + " AS " + sourceAlias + " WHERE " + cond + ")"
	}
	switch a.Action {
	case "insert", "replace":
		cols, err := mapped(false)
		if err != nil {
			return nil, err
		}
		var out []string
		if a.Action == "replace" {
			out = append(out, "DELETE FROM "+tgt.String())
		}
		return append(out, insertAll(cols, "")), nil
	case "delete":
		if a.SourceTable == "" {
			return []string{"DELETE FROM " + tgt.String() + " AS " + targetAlias + " WHERE " + cond}, nil
		}
		for _, col := range src.cols {
			if !used[col] {
				return nil, fmt.Errorf("the source column %q is not used by the condition", col)
			}
		}
		return []string{"DELETE FROM " + tgt.String() + " AS " + targetAlias + " WHERE EXISTS (SELECT 1 FROM " +
			src.String() + " AS " + sourceAlias + " WHERE " + cond + ")"}, nil
	case "update", "upsert":
		if a.SourceTable == "" {
			return nil, fmt.Errorf("%s needs a source-table", a.Action)
		}
		cols, err := mapped(true)
		if err != nil {
			return nil, err
		}
		out := []string{update(cols)}
		if a.Action == "upsert" {
			// Source rows that match no target row are inserted; after the
			// update the matched rows still match, so only new rows go in.
			out = append(out, insertAll(cols, "NOT EXISTS (SELECT 1 FROM "+tgt.String()+" AS "+targetAlias+" WHERE "+cond+")"))
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown action %q", a.Action)
}

// condNode is one node of a condition: a logical operator with args (or
// arg, for not), or a comparison of target-col with source-col or const.
type condNode struct {
	Op        string            `json:"op"`
	Args      []json.RawMessage `json:"args"`
	Arg       json.RawMessage   `json:"arg"`
	TargetCol *string           `json:"target-col"`
	SourceCol *string           `json:"source-col"`
	Const     *condConst        `json:"const"`
}

// condConst is a typed constant: {"type": "datetime", "v": "2020-06-01"}.
type condConst struct {
	Type string          `json:"type"`
	V    json.RawMessage `json:"v"`
}

// comparisons maps the comparison operators (named and symbolic) to SQL.
var comparisons = map[string]string{
	"eq": "=", "=": "=", "==": "=",
	"ne": "<>", "neq": "<>", "!=": "<>", "<>": "<>",
	"gt": ">", ">": ">",
	"gte": ">=", "ge": ">=", ">=": ">=",
	"lt": "<", "<": "<",
	"lte": "<=", "le": "<=", "<=": "<=",
}

// maxCondDepth bounds the nesting of a condition.
const maxCondDepth = 64

// conditionSQL translates a condition to SQL over the target (alias t) and
// the source (alias s) and records the source columns it uses.
func conditionSQL(raw json.RawMessage, tgt, src tableRef, haveSource bool, used map[string]bool) (string, error) {
	return condSQL(raw, tgt, src, haveSource, used, 0)
}

func condSQL(raw json.RawMessage, tgt, src tableRef, haveSource bool, used map[string]bool, depth int) (string, error) {
	if depth > maxCondDepth {
		return "", fmt.Errorf("the condition is nested more than %d deep", maxCondDepth)
	}
	var n condNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf("a condition is not a JSON object like {\"op\": ...}: %v", err)
	}
	op := strings.ToLower(n.Op)
	switch op {
	case "and", "or":
		if len(n.Args) == 0 {
			return "", fmt.Errorf("%q needs args", op)
		}
		parts := make([]string, len(n.Args))
		for i, a := range n.Args {
			p, err := condSQL(a, tgt, src, haveSource, used, depth+1)
			if err != nil {
				return "", err
			}
			parts[i] = "(" + p + ")"
		}
		return strings.Join(parts, " "+strings.ToUpper(op)+" "), nil
	case "not":
		arg := n.Arg
		if len(arg) == 0 && len(n.Args) == 1 {
			arg = n.Args[0]
		}
		if len(arg) == 0 {
			return "", errors.New(`"not" needs one arg`)
		}
		p, err := condSQL(arg, tgt, src, haveSource, used, depth+1)
		if err != nil {
			return "", err
		}
		return "NOT (" + p + ")", nil
	}
	sqlOp, ok := comparisons[op]
	if !ok {
		return "", fmt.Errorf("%q is not an operator (and, or, not, eq, ne, gt, gte, lt, lte)", n.Op)
	}
	if n.TargetCol == nil {
		return "", fmt.Errorf("%q needs a target-col", op)
	}
	if !tgt.has(*n.TargetCol) {
		return "", fmt.Errorf("the target table has no column %q", *n.TargetCol)
	}
	left := targetAlias + "." + hyper.QuoteIdent(*n.TargetCol)
	var right string
	switch {
	case n.SourceCol != nil && n.Const != nil:
		return "", fmt.Errorf("%q has both a source-col and a const", op)
	case n.SourceCol != nil:
		if !haveSource {
			return "", fmt.Errorf("source-col %q needs a source-table", *n.SourceCol)
		}
		if !src.has(*n.SourceCol) {
			return "", fmt.Errorf("the source table has no column %q", *n.SourceCol)
		}
		used[*n.SourceCol] = true
		right = sourceAlias + "." + hyper.QuoteIdent(*n.SourceCol)
	case n.Const != nil:
		lit, err := constSQL(*n.Const)
		if err != nil {
			return "", err
		}
		right = lit
	default:
		return "", fmt.Errorf("%q needs a source-col or a const", op)
	}
	return left + " " + sqlOp + " " + right, nil
}

// constSQL renders a constant as a typed SQL literal.
func constSQL(k condConst) (string, error) {
	if len(k.V) == 0 {
		return "", errors.New(`a const needs a value "v"`)
	}
	if string(k.V) == "null" {
		return "NULL", nil
	}
	var s string
	if err := json.Unmarshal(k.V, &s); err != nil {
		// Numbers and booleans may come as JSON values.
		s = string(k.V)
	}
	switch strings.ToLower(k.Type) {
	case "string", "text":
		var v string
		if err := json.Unmarshal(k.V, &v); err != nil {
			return "", fmt.Errorf("a string const needs a JSON string, not %s", k.V)
		}
		return hyper.QuoteLiteral(v), nil
	case "integer", "int", "bigint":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return "", fmt.Errorf("the integer const %s is not an integer", k.V)
		}
		return "CAST(" + strconv.FormatInt(n, 10) + " AS BIGINT)", nil
	case "double", "float", "real", "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return "", fmt.Errorf("the double const %s is not a number", k.V)
		}
		return "CAST(" + hyper.QuoteLiteral(strconv.FormatFloat(f, 'g', -1, 64)) + " AS DOUBLE PRECISION)", nil
	case "boolean", "bool":
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return "", fmt.Errorf("the boolean const %s is not true or false", k.V)
		}
		return strings.ToUpper(strconv.FormatBool(b)), nil
	case "date":
		return "CAST(" + hyper.QuoteLiteral(s) + " AS DATE)", nil
	case "datetime", "timestamp":
		return "CAST(" + hyper.QuoteLiteral(s) + " AS TIMESTAMP)", nil
	case "timestamptz":
		return "CAST(" + hyper.QuoteLiteral(s) + " AS TIMESTAMPTZ)", nil
	}
	return "", fmt.Errorf("the const type %q is not one of string, integer, double, boolean, date, datetime", k.Type)
}
