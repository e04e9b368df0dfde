package tableautest

import (
	"sync"
	"testing"
)

func TestEventBusDeliversInOrder(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []string
	s.onEvent(func(e event) {
		mu.Lock()
		got = append(got, e.Type+" "+e.ResourceName)
		mu.Unlock()
	})
	s.emit(event{Type: eventWorkbookCreated, ResourceName: "a"})
	s.emit(event{Type: eventWorkbookDeleted, ResourceName: "a"})
	if len(got) != 2 || got[0] != eventWorkbookCreated+" a" || got[1] != eventWorkbookDeleted+" a" {
		t.Fatalf("events = %v", got)
	}
}
