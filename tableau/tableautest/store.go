package tableautest

import "sync"

// store is the server's state: one part per resource, all guarded by mu.
// Handlers take mu (RLock to read, Lock to change), call the parts'
// methods, copy what they need out of the store, and unlock before writing
// the response. Parts' methods assume the caller holds mu.
//
// A new resource adds its part here and in newStore, in its own file
// (see EXTENDING.md).
type store struct {
	mu       sync.RWMutex
	sites    sitesPart
	users    usersPart
	projects projectsPart
	sessions sessionsPart
}

func newStore() *store {
	return &store{
		sites:    sitesPart{byID: map[string]*site{}},
		users:    usersPart{byID: map[string]*user{}},
		projects: projectsPart{byID: map[string]*project{}},
		sessions: sessionsPart{byToken: map[string]*session{}},
	}
}
