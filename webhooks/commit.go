package webhooks

import (
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
)

// writeOp is one write transaction's work, run by the committer.
type writeOp struct {
	fn   func(*bolt.Tx) error
	res  chan error // buffered; nil for lazy writes
	lazy bool
}

// maxGroup bounds how many writes share one commit.
const maxGroup = 512

// lazyDelay is how long a lazy write (the record that a delivery is done)
// may wait for company before it is committed on its own. A crash loses at
// most that much delivery progress, which only repeats deliveries.
const lazyDelay = 25 * time.Millisecond

// committer runs writes as group commits: it takes one write, adds every
// write already waiting, and commits them in one transaction (one fsync).
// With a single writer there is no added delay; under load, writes that
// arrive during a commit share the next one. Lazy writes wait up to
// lazyDelay to ride along with the next eager one. If a group fails, each
// write is retried alone so that one bad write does not fail the others.
func (s *store) committer() {
	defer close(s.done)
	var lazy []writeOp
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var group []writeOp
		select {
		case op := <-s.ops:
			if op.lazy {
				if len(lazy) == 0 {
					timer.Reset(lazyDelay)
				}
				lazy = append(lazy, op)
				if len(lazy) < maxGroup {
					continue
				}
			} else {
				group = append(group, op)
			}
		case <-timer.C:
		case <-s.quit:
			s.commit(lazy)
			return
		}
	collect:
		for len(group)+len(lazy) < maxGroup {
			select {
			case op := <-s.ops:
				group = append(group, op)
			default:
				break collect
			}
		}
		// Lazy writes arrived first: they go first, so that an eager write
		// (a read-modify-write such as requeueDead) sees them.
		all := make([]writeOp, 0, len(lazy)+len(group))
		all = append(append(all, lazy...), group...)
		group = all
		lazy = lazy[:0]
		timer.Stop()
		s.commit(group)
	}
}

// commit runs a group in one transaction, or each alone if the group fails.
func (s *store) commit(group []writeOp) {
	if len(group) == 0 {
		return
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, op := range group {
			if err := op.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && len(group) > 1 {
		for _, op := range group {
			s.reply(op, s.db.Update(op.fn))
		}
		return
	}
	for _, op := range group {
		s.reply(op, err)
	}
}

func (s *store) reply(op writeOp, err error) {
	if op.res != nil {
		op.res <- err
	} else if err != nil && s.onLazyErr != nil {
		s.onLazyErr(err)
	}
}

// writeLazy hands fn to the committer without waiting for the commit.
func (s *store) writeLazy(fn func(*bolt.Tx) error) error {
	select {
	case s.ops <- writeOp{fn: fn, lazy: true}:
		return nil
	case <-s.quit:
		return errStoreClosed
	}
}

var errStoreClosed = errors.New("webhooks: store closed")

// write runs fn in a group-committed, fsync'd transaction.
func (s *store) write(fn func(*bolt.Tx) error) error {
	op := writeOp{fn: fn, res: make(chan error, 1)}
	select {
	case s.ops <- op:
		return <-op.res
	case <-s.quit:
		return errStoreClosed
	}
}
