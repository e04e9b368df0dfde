package metadata_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/tableau-go/sdk/metadata"
	"github.com/tableau-go/sdk/metadata/internal/mdtest"
)

// pages serves n numbered nodes with cursors that are offsets; limit makes
// pages larger than it fail with the node-limit error.
func pages(n, limit int, calls *[]int) metadata.FetchFunc[int] {
	return func(ctx context.Context, first int, after string) (metadata.Page[int], error) {
		*calls = append(*calls, first)
		if first > limit {
			return metadata.Page[int]{}, &metadata.Errors{List: []metadata.GraphQLError{{Message: "too many", Extensions: map[string]any{"code": "NODE_LIMIT_EXCEEDED", "severity": "WARNING"}}}, Partial: true}
		}
		off := 0
		if after != "" {
			off, _ = strconv.Atoi(after)
		}
		end := min(off+first, n)
		var pg metadata.Page[int]
		for i := off; i < end; i++ {
			pg.Nodes = append(pg.Nodes, i)
		}
		pg.TotalCount = n
		pg.PageInfo = metadata.PageInfo{HasNextPage: end < n, EndCursor: strconv.Itoa(end)}
		return pg, nil
	}
}

func TestPagerHalvesOnNodeLimit(t *testing.T) {
	var calls []int
	p := metadata.NewPager(pages(10, 3, &calls), 8)
	got, err := p.Collect(context.Background())
	if err != nil || len(got) != 10 || got[9] != 9 {
		t.Fatalf("got %v, %v", got, err)
	}
	// 8 and 4 fail, then pages of 2 throughout.
	if calls[0] != 8 || calls[1] != 4 || calls[2] != 2 || len(calls) != 7 || p.Requests() != 7 || p.TotalCount() != 10 {
		t.Errorf("calls %v, requests %d", calls, p.Requests())
	}
}

func TestPagerGivesUpAtOne(t *testing.T) {
	var calls []int
	_, err := metadata.NewPager(pages(10, 0, &calls), 4).Collect(context.Background())
	if !errors.Is(err, metadata.ErrNodeLimitExceeded) || calls[len(calls)-1] != 1 {
		t.Fatalf("err %v, calls %v", err, calls)
	}
}

func TestPagerStopsOnBadCursorEmptyPageAndBreak(t *testing.T) {
	stuck := func(ctx context.Context, first int, after string) (metadata.Page[int], error) {
		return metadata.Page[int]{Nodes: []int{1}, PageInfo: metadata.PageInfo{HasNextPage: true, EndCursor: "same"}}, nil
	}
	n := 0
	var last error
	for _, err := range metadata.NewPager(stuck, 1).All(context.Background()) {
		n++
		last = err
		if n > 10 {
			t.Fatal("pager loops on a repeated cursor")
		}
	}
	if last == nil {
		t.Error("no error for a repeated cursor")
	}
	empty := func(ctx context.Context, first int, after string) (metadata.Page[int], error) {
		return metadata.Page[int]{PageInfo: metadata.PageInfo{HasNextPage: true, EndCursor: after + "x"}}, nil
	}
	if got, err := metadata.NewPager(empty, 1).Collect(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("empty page: %v %v", got, err)
	}
	var calls []int
	p := metadata.NewPager(pages(100, 100, &calls), 10)
	for v := range p.All(context.Background()) {
		if v == 12 {
			break
		}
	}
	if len(calls) != 2 {
		t.Errorf("early break fetched %d pages", len(calls))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := metadata.NewPager(pages(5, 5, &calls), 2).Collect(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestConnectionPathErrors(t *testing.T) {
	st := mdtest.New(t)
	c := newClient(t, st, nil)
	q := `query($first: Int, $after: String) { workbooksConnection(first: $first, after: $after) { nodes { name } } }`
	if _, err := c.Connection(q, nil, "workbooksConnection").Collect(context.Background()); err == nil {
		t.Error("no pageInfo: no error")
	}
	q = `query($first: Int, $after: String) { workbooksConnection(first: $first, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`
	if _, err := c.Connection(q, nil, "nope").Collect(context.Background()); err == nil {
		t.Error("wrong path: no error")
	}
	got, err := c.Connection(q, map[string]any{"unused": 1}, "workbooksConnection").Collect(context.Background())
	if err != nil || len(got) != 1 {
		t.Errorf("extra variables: %d nodes, %v", len(got), err)
	}
}
