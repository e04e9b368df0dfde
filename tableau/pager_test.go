package tableau

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// listFetch serves items[0:total] in pages, with a random delay so that
// parallel fetches finish out of order; it tracks the most in flight.
func listFetch(total int, inflight, peak *atomic.Int32, calls *sync.Map) FetchFunc[int] {
	return func(ctx context.Context, number, size int) (Page[int], error) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if calls != nil {
			c, _ := calls.LoadOrStore(number, new(atomic.Int32))
			c.(*atomic.Int32).Add(1)
		}
		select {
		case <-time.After(time.Duration(rand.IntN(3)) * time.Millisecond):
		case <-ctx.Done():
			return Page[int]{}, ctx.Err()
		}
		var items []int
		for i := (number - 1) * size; i < number*size && i < total; i++ {
			items = append(items, i)
		}
		return Page[int]{Items: items, Pagination: Pagination{PageNumber: number, PageSize: size, TotalAvailable: total}}, nil
	}
}

func TestPagerParallelInOrder(t *testing.T) {
	for _, c := range []struct{ total, size, parallel int }{
		{0, 10, 4}, {1, 10, 4}, {10, 10, 4}, {11, 10, 4}, {997, 10, 4}, {1000, 7, 16}, {50, 5, 1}, {50, 5, 100},
	} {
		t.Run(fmt.Sprintf("%d/%d/%d", c.total, c.size, c.parallel), func(t *testing.T) {
			var inflight, peak atomic.Int32
			var calls sync.Map
			p := NewPager(listFetch(c.total, &inflight, &peak, &calls), &ListOptions{PageSize: c.size, Parallel: c.parallel})
			got, err := p.Collect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.total {
				t.Fatalf("got %d items, want %d", len(got), c.total)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("item %d = %d: out of order or repeated", i, v)
				}
			}
			if int(peak.Load()) > max(c.parallel, 1) {
				t.Fatalf("%d fetches in flight, limit %d", peak.Load(), c.parallel)
			}
			calls.Range(func(k, v any) bool {
				if v.(*atomic.Int32).Load() != 1 {
					t.Errorf("page %v fetched %d times", k, v.(*atomic.Int32).Load())
				}
				return true
			})
		})
	}
}

func TestPagerStopsOnEmptyPage(t *testing.T) {
	// The server announces 100 items but has only 25.
	var calls atomic.Int32
	fetch := func(ctx context.Context, number, size int) (Page[int], error) {
		calls.Add(1)
		var items []int
		for i := (number - 1) * size; i < number*size && i < 25; i++ {
			items = append(items, i)
		}
		return Page[int]{Items: items, Pagination: Pagination{PageNumber: number, PageSize: size, TotalAvailable: 100}}, nil
	}
	for _, parallel := range []int{1, 3} {
		calls.Store(0)
		got, err := NewPager(fetch, &ListOptions{PageSize: 10, Parallel: parallel}).Collect(context.Background())
		if err != nil || len(got) != 25 {
			t.Fatalf("parallel %d: %d items, %v", parallel, len(got), err)
		}
		if calls.Load() > 4+int32(parallel) {
			t.Fatalf("parallel %d: %d fetches", parallel, calls.Load())
		}
	}
}

func TestPagerTotalChanges(t *testing.T) {
	for _, parallel := range []int{1, 4} {
		// Grows from 30 to 55 after the first page: every item is yielded.
		var total atomic.Int32
		total.Store(30)
		fetch := func(ctx context.Context, number, size int) (Page[int], error) {
			if number == 2 {
				total.Store(55)
			}
			tot := int(total.Load())
			var items []int
			for i := (number - 1) * size; i < number*size && i < tot; i++ {
				items = append(items, i)
			}
			return Page[int]{Items: items, Pagination: Pagination{PageNumber: number, PageSize: size, TotalAvailable: tot}}, nil
		}
		got, err := NewPager(fetch, &ListOptions{PageSize: 10, Parallel: parallel}).Collect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 55 {
			t.Fatalf("parallel %d grow: %d items, want 55", parallel, len(got))
		}
		// Shrinks from 95 to 22 while walking: stops without error or loop.
		total.Store(95)
		shrink := func(ctx context.Context, number, size int) (Page[int], error) {
			tot := 95
			if number >= 2 {
				tot = 22
			}
			var items []int
			for i := (number - 1) * size; i < number*size && i < tot; i++ {
				items = append(items, i)
			}
			return Page[int]{Items: items, Pagination: Pagination{PageNumber: number, PageSize: size, TotalAvailable: tot}}, nil
		}
		got, err = NewPager(shrink, &ListOptions{PageSize: 10, Parallel: parallel}).Collect(context.Background())
		if err != nil || len(got) != 22 {
			t.Fatalf("parallel %d shrink: %d items, %v", parallel, len(got), err)
		}
	}
}

func TestPagerErrorAndEarlyStop(t *testing.T) {
	boom := errors.New("boom")
	fetch := func(ctx context.Context, number, size int) (Page[int], error) {
		if number == 3 {
			return Page[int]{}, boom
		}
		return Page[int]{Items: []int{number}, Pagination: Pagination{PageNumber: number, PageSize: 1, TotalAvailable: 10}}, nil
	}
	for _, parallel := range []int{1, 4} {
		var got []int
		var gotErr error
		for v, err := range NewPager(fetch, &ListOptions{PageSize: 1, Parallel: parallel}).All(context.Background()) {
			if err != nil {
				gotErr = err
				break
			}
			got = append(got, v)
		}
		if !errors.Is(gotErr, boom) || len(got) != 2 {
			t.Fatalf("parallel %d: got %v, err %v", parallel, got, gotErr)
		}
		// Breaking early stops the walk.
		n := 0
		for range NewPager(fetch, &ListOptions{PageSize: 1, Parallel: parallel}).All(context.Background()) {
			n++
			break
		}
		if n != 1 {
			t.Fatal("break did not stop")
		}
	}
	if _, err := NewPager(fetch, nil).Page(context.Background(), 0); !errors.Is(err, ErrInvalidArgument) {
		t.Fatal(err)
	}
	if _, err := NewPager(fetch, &ListOptions{PageSize: 5000}).Collect(context.Background()); !errors.Is(err, ErrInvalidArgument) {
		t.Fatal(err)
	}
}

type thing struct {
	ID string `xml:"id,attr"`
}

type thingList struct {
	XMLName    xml.Name   `xml:"tsResponse"`
	Pagination Pagination `xml:"pagination"`
	Things     []thing    `xml:"things>thing"`
}

func TestPagedListOverHTTP(t *testing.T) {
	f := newFake(t)
	s, _ := signedIn(t, f, nil)
	var queries sync.Map
	f.mux.HandleFunc("GET /api/{v}/sites/{site}/things", func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(w, r) {
			return
		}
		q := r.URL.Query()
		queries.Store(q.Get("pageNumber"), r.URL.RawQuery)
		n, _ := strconv.Atoi(q.Get("pageNumber"))
		size, _ := strconv.Atoi(q.Get("pageSize"))
		body := fmt.Sprintf(`<pagination pageNumber="%d" pageSize="%d" totalAvailable="23"/><things>`, n, size)
		for i := (n - 1) * size; i < n*size && i < 23; i++ {
			body += fmt.Sprintf(`<thing id="t%02d"/>`, i)
		}
		writeXML(w, 200, body+"</things>")
	})
	path, _ := s.SitePath("things")
	opts := &ListOptions{PageSize: 5, Parallel: 3, Filters: []Filter{Eq("name", "Q1 + Q2 report")}, Sorts: []Sort{Asc("name")}}
	pager := PagedList(s, path, opts, func(r *thingList) ([]thing, Pagination) { return r.Things, r.Pagination })
	got, err := pager.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 23 || got[0].ID != "t00" || got[22].ID != "t22" {
		t.Fatalf("got %v", got)
	}
	raw, _ := queries.Load("2")
	if raw != "filter=name%3Aeq%3AQ1%20%2B%20Q2%20report&pageNumber=2&pageSize=5&sort=name%3Aasc" {
		t.Fatalf("query = %v", raw)
	}
	page, err := pager.Page(context.Background(), 5)
	if err != nil || len(page.Items) != 3 || page.Pagination.TotalAvailable != 23 {
		t.Fatalf("page 5 = %+v, %v", page, err)
	}
	if opts.PageSize != 5 || len(opts.Filters) != 1 {
		t.Fatal("options changed")
	}
}

// TestPagerFetchesAhead: with Parallel 4, pages 2 to 5 are in flight
// together. Each of them waits until all four have started, so a pager
// that fetched one at a time would time out here.
func TestPagerFetchesAhead(t *testing.T) {
	var started sync.WaitGroup
	started.Add(4)
	all := make(chan struct{})
	go func() { started.Wait(); close(all) }()
	fetch := func(ctx context.Context, number, size int) (Page[int], error) {
		if number >= 2 && number <= 5 {
			started.Done()
			select {
			case <-all:
			case <-time.After(20 * time.Second):
				return Page[int]{}, fmt.Errorf("page %d: the other pages were not fetched at the same time", number)
			}
		}
		return Page[int]{Items: []int{number}, Pagination: Pagination{PageNumber: number, PageSize: 1, TotalAvailable: 5}}, nil
	}
	got, err := NewPager(fetch, &ListOptions{PageSize: 1, Parallel: 4}).Collect(context.Background())
	if err != nil || fmt.Sprint(got) != "[1 2 3 4 5]" {
		t.Fatalf("got %v, %v", got, err)
	}
}

// TestPagerStaleTotal: a page fetched earlier may report an older, smaller
// total than the page before it; the walk must not end early.
func TestPagerStaleTotal(t *testing.T) {
	fetch := func(ctx context.Context, number, size int) (Page[int], error) {
		total := 55
		if number == 1 || number == 3 {
			total = 30 // page 3 answered before the growth page 2 saw
		}
		var items []int
		for i := (number - 1) * size; i < number*size && i < 55; i++ {
			items = append(items, i)
		}
		return Page[int]{Items: items, Pagination: Pagination{PageNumber: number, PageSize: size, TotalAvailable: total}}, nil
	}
	for _, parallel := range []int{1, 2, 4} {
		got, err := NewPager(fetch, &ListOptions{PageSize: 10, Parallel: parallel}).Collect(context.Background())
		if err != nil || len(got) != 55 {
			t.Fatalf("parallel %d: %d items, %v", parallel, len(got), err)
		}
	}
}
