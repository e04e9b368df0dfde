package tableautest

import (
	"encoding/json"
	"testing"
)

// FuzzConditionSQL: any condition document either fails with an error or
// becomes SQL in which every quoted identifier and string literal is
// closed, whatever the column names and constants hold.
func FuzzConditionSQL(f *testing.F) {
	for _, seed := range []string{
		`{"op": "eq", "target-col": "id", "source-col": "id"}`,
		`{"op": "and", "args": [{"op": "gt", "target-col": "at", "const": {"type": "datetime", "v": "2024-01-01 00:00:00"}}, {"op": "not", "arg": {"op": "eq", "target-col": "name", "const": {"type": "string", "v": "it's \"quoted\""}}}]}`,
		`{"op": "or", "args": [{"op": "lte", "target-col": "amount", "const": {"type": "double", "v": 1.5}}, {"op": "=", "target-col": "ok", "const": {"type": "boolean", "v": true}}]}`,
		`{"op": "ne", "target-col": "we\"ird'col", "const": {"type": "integer", "v": "42"}}`,
		`{"op": "eq", "target-col": "day", "const": {"type": "date", "v": "2024-02-29'); DROP TABLE t; --"}}`,
		`{"op": "eq", "target-col": "id", "const": {"type": "string", "v": null}}`,
		`{"op": "and", "args": []}`,
		`[]`, `null`, `{"op": "xor"}`,
	} {
		f.Add([]byte(seed))
	}
	tgt := tableRef{db: "target", schema: "Extract", table: "t", cols: []string{"id", "name", "at", "day", "amount", "ok", `we"ird'col`}}
	src := tableRef{db: "source", schema: "Extract", table: "s", cols: []string{"id", "name"}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		sql, err := conditionSQL(raw, tgt, src, true, map[string]bool{})
		if err != nil {
			return
		}
		if open := unclosedQuote(sql); open != 0 {
			t.Fatalf("condition %s gave SQL with an unclosed %c: %s", raw, open, sql)
		}
	})
}

// unclosedQuote returns the quote character (' or ") left open at the end
// of sql, or 0. A doubled quote inside a quoted run is an escaped quote.
func unclosedQuote(sql string) byte {
	var open byte
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		switch {
		case open == 0 && (c == '\'' || c == '"'):
			open = c
		case open != 0 && c == open:
			if i+1 < len(sql) && sql[i+1] == open {
				i++ // escaped
				continue
			}
			open = 0
		}
	}
	return open
}
