package metadata

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// FuzzResponse feeds server responses to the envelope decoder, the
// connection finder and the typed decoder of the dictionary query: bad
// input is an error, never a panic.
func FuzzResponse(f *testing.F) {
	f.Add([]byte(`{"data":{"c":{"nodes":[{"id":"1"}],"pageInfo":{"hasNextPage":true,"endCursor":"x"},"totalCount":3}}}`))
	f.Add([]byte(`{"errors":[{"message":"m","extensions":{"code":"NODE_LIMIT_EXCEEDED","severity":"WARNING"}}],"data":{"c":null}}`))
	f.Add([]byte(`{"data":{"publishedDatasourcesConnection":{"nodes":[{"name":"a","fields":[{"__typename":"CalculatedField","formula":"1"}],"upstreamTables":[{"__typename":"DatabaseTable","database":{"__typename":"DatabaseServer"}}]}],"pageInfo":{"hasNextPage":false}}}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var wr wireResponse
		if err := json.Unmarshal(data, &wr); err != nil {
			return
		}
		e := &Errors{List: wr.Errors, Partial: hasData(wr.Data)}
		_ = e.Error()
		_ = errors.Is(e, ErrNodeLimitExceeded)
		if hasData(wr.Data) {
			_, _ = pageAt(wr.Data, []string{"c"})
			var r map[string]wireConnection
			if json.Unmarshal(wr.Data, &r) == nil {
				for _, ds := range r["publishedDatasourcesConnection"].Nodes {
					ds.entry(false, true)
					ds.entry(true, false)
				}
			}
		}
	})
}

// FuzzParseTarget: any string parses or fails with ErrBadTarget, and a
// parsed target round-trips through String.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"sales.public.orders.amount", "..orders", "datasource:Orders/Amount", "a.b.c.d.e", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			if !errors.Is(err, ErrBadTarget) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if strings.HasPrefix(s, "datasource:") {
			return
		}
		back, err := ParseTarget(tg.String())
		if err != nil || back != tg {
			t.Fatalf("%q -> %+v -> %q -> %+v, %v", s, tg, tg.String(), back, err)
		}
	})
}
