package tableautest

import (
	"context"
	"testing"
)

// TestMetadataParseCachePruned: the files of deleted items leave the
// Metadata API's parse cache when the graph is rebuilt.
func TestMetadataParseCachePruned(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Seed(SeedOptions{Datasources: 2, Workbooks: 1}); err != nil {
		t.Fatal(err)
	}
	h := s.metadata()
	siteID := s.store.sites.order[0]
	if _, err := h.graph(context.Background(), siteID); err != nil {
		t.Fatal(err)
	}
	if len(h.parsed) != 2 { // Seed shares one file per kind
		t.Fatalf("%d parsed files, want 2", len(h.parsed))
	}
	s.store.mu.Lock()
	for _, it := range s.store.contentItems(resWorkbook, siteID) {
		s.store.removeItem(it)
	}
	s.store.mu.Unlock()
	g, err := h.graph(context.Background(), siteID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.parsed) != 1 || len(g.workbooks) != 0 || len(g.datasources) != 2 {
		t.Fatalf("after deleting the workbook: %d parsed, %d workbooks, %d datasources", len(h.parsed), len(g.workbooks), len(g.datasources))
	}
}
