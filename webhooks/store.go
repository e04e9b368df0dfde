package webhooks

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The store keeps accepted events in a bbolt file. Every write is a
// transaction that bbolt fsyncs before it returns, so an event the handler
// answered 2xx for is on disk.
var (
	bucketEvents = []byte("events")     // seq -> record
	bucketDedup  = []byte("dedup")      // event id -> accepted-at (unix ns)
	bucketDedupT = []byte("dedup_time") // accepted-at (unix ns) + id -> nil, to prune
	bucketDead   = []byte("dead")       // seq + receiver -> DeadLetter
)

// record is an accepted event and its delivery state.
type record struct {
	Payload     json.RawMessage `json:"payload,omitempty"`
	ReceivedAt  time.Time       `json:"received_at"`
	Done        []string        `json:"done,omitempty"`
	Attempts    int             `json:"attempts"`
	NextAttempt time.Time       `json:"next_attempt"`
	LastError   string          `json:"last_error,omitempty"`
}

// DeadLetter is an event a receiver gave up on: it returned a [Permanent]
// error, or failed [Options.MaxAttempts] times.
type DeadLetter struct {
	// Receiver is the name the receiver was registered under.
	Receiver string `json:"receiver"`
	// Payload is the event's payload as received.
	Payload json.RawMessage `json:"payload,omitempty"`
	// ReceivedAt is when the handler accepted the event.
	ReceivedAt time.Time `json:"received_at"`
	// Attempts is how many times delivery was tried.
	Attempts int `json:"attempts"`
	// Error is the last error the receiver returned.
	Error string `json:"error"`
	// At is when the event was given up.
	At time.Time `json:"at"`
}

type store struct {
	db  *bolt.DB
	ops chan writeOp // unbuffered: a send succeeds only when the committer takes it
	// onLazyErr reports a failed lazy write (set before use).
	onLazyErr func(error)
	quit      chan struct{}
	done      chan struct{}
}

type pendingItem struct {
	seq  uint64
	next time.Time
}

func openStore(path string, lockTimeout time.Duration) (*store, []pendingItem, error) {
	// NoFreelistSync: the free list is rebuilt on open instead of written at
	// every commit; data and meta pages are still fsynced at each commit.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true})
	if err != nil {
		return nil, nil, fmt.Errorf("webhooks: open store %s: %w", path, err)
	}
	var pending []pendingItem
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketEvents, bucketDedup, bucketDedupT, bucketDead} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			var r record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("record %d: %w", binary.BigEndian.Uint64(k), err)
			}
			pending = append(pending, pendingItem{seq: binary.BigEndian.Uint64(k), next: r.NextAttempt})
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("webhooks: load store %s: %w", path, err)
	}
	s := &store{db: db, ops: make(chan writeOp), quit: make(chan struct{}), done: make(chan struct{})}
	go s.committer()
	return s, pending, nil
}

func (s *store) close() error {
	select {
	case <-s.quit:
		return nil
	default:
	}
	close(s.quit)
	<-s.done
	return s.db.Close()
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// seenWithin reports whether id was accepted less than window before now.
func (s *store) seenWithin(id string, window time.Duration, now time.Time) (bool, error) {
	var seen bool
	err := s.db.View(func(tx *bolt.Tx) error {
		seen = dupIn(tx, id, window, now)
		return nil
	})
	return seen, err
}

func dupIn(tx *bolt.Tx, id string, window time.Duration, now time.Time) bool {
	if window <= 0 || id == "" {
		return false
	}
	v := tx.Bucket(bucketDedup).Get([]byte(id))
	if len(v) != 8 {
		return false
	}
	at := time.Unix(0, int64(binary.BigEndian.Uint64(v)))
	return now.Sub(at) < window
}

// accept persists an event unless its id was accepted within window.
// Concurrent requests share one commit (see committer).
func (s *store) accept(id string, payload []byte, window time.Duration, now time.Time) (seq uint64, dup bool, err error) {
	rec, err := json.Marshal(record{Payload: payload, ReceivedAt: now, NextAttempt: now})
	if err != nil {
		return 0, false, err
	}
	err = s.write(func(tx *bolt.Tx) error {
		seq, dup = 0, false
		if dupIn(tx, id, window, now) {
			dup = true
			return nil
		}
		b := tx.Bucket(bucketEvents)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		if err := b.Put(seqKey(n), rec); err != nil {
			return err
		}
		seq = n
		if window > 0 && id != "" {
			var ts [8]byte
			binary.BigEndian.PutUint64(ts[:], uint64(now.UnixNano()))
			if old := tx.Bucket(bucketDedup).Get([]byte(id)); len(old) == 8 {
				if err := tx.Bucket(bucketDedupT).Delete(append(append([]byte{}, old...), id...)); err != nil {
					return err
				}
			}
			if err := tx.Bucket(bucketDedup).Put([]byte(id), ts[:]); err != nil {
				return err
			}
			if err := tx.Bucket(bucketDedupT).Put(append(ts[:], id...), nil); err != nil {
				return err
			}
		}
		return nil
	})
	return seq, dup, err
}

var errNoRecord = errors.New("webhooks: no such record")

func (s *store) get(seq uint64) (record, error) {
	var r record
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEvents).Get(seqKey(seq))
		if v == nil {
			return errNoRecord
		}
		return json.Unmarshal(v, &r)
	})
	return r, err
}

func (s *store) put(seq uint64, r record) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.write(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketEvents).Put(seqKey(seq), v)
	})
}

// finish removes a delivered event and records its dead letters, in one
// transaction. It is a lazy write: it returns before the commit.
func (s *store) finish(seq uint64, dead []DeadLetter) error {
	return s.writeLazy(func(tx *bolt.Tx) error {
		for _, d := range dead {
			v, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketDead).Put(append(seqKey(seq), d.Receiver...), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketEvents).Delete(seqKey(seq))
	})
}

// addDead records dead letters for an event that stays pending for others.
func (s *store) addDead(seq uint64, dead []DeadLetter) error {
	return s.write(func(tx *bolt.Tx) error {
		for _, d := range dead {
			v, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bucketDead).Put(append(seqKey(seq), d.Receiver...), v); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *store) deadLetters() ([]DeadLetter, error) {
	// An eager write commits the lazy ones waiting, so the answer is current.
	if err := s.write(func(*bolt.Tx) error { return nil }); err != nil {
		return nil, err
	}
	var out []DeadLetter
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDead).ForEach(func(_, v []byte) error {
			var d DeadLetter
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// pruneDedup forgets event ids accepted before cutoff.
func (s *store) pruneDedup(cutoff time.Time) (int, error) {
	n := 0
	err := s.write(func(tx *bolt.Tx) error {
		n = 0
		bt, bd := tx.Bucket(bucketDedupT), tx.Bucket(bucketDedup)
		limit := uint64(cutoff.UnixNano())
		// Collect first: deleting while a bbolt cursor walks can skip keys.
		var old [][]byte
		c := bt.Cursor()
		for k, _ := c.First(); len(k) >= 8 && binary.BigEndian.Uint64(k[:8]) < limit; k, _ = c.Next() {
			old = append(old, append([]byte(nil), k...))
		}
		for _, k := range old {
			if err := bt.Delete(k); err != nil {
				return err
			}
			id := k[8:]
			if v := bd.Get(id); len(v) == 8 && binary.BigEndian.Uint64(v) < limit {
				if err := bd.Delete(id); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}

// requeueDead turns every dead letter back into a pending event for its
// receiver alone: done lists the other receivers that want the event's type.
func (s *store) requeueDead(others func(payload []byte, receiver string) []string, now time.Time) ([]uint64, error) {
	var seqs []uint64
	err := s.write(func(tx *bolt.Tx) error {
		seqs = seqs[:0]
		dead, events := tx.Bucket(bucketDead), tx.Bucket(bucketEvents)
		var keys [][]byte
		var letters []DeadLetter
		if err := dead.ForEach(func(k, v []byte) error {
			var d DeadLetter
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			keys = append(keys, append([]byte(nil), k...))
			letters = append(letters, d)
			return nil
		}); err != nil {
			return err
		}
		for i, d := range letters {
			rec, err := json.Marshal(record{Payload: d.Payload, ReceivedAt: d.ReceivedAt, Done: others(d.Payload, d.Receiver), NextAttempt: now})
			if err != nil {
				return err
			}
			n, err := events.NextSequence()
			if err != nil {
				return err
			}
			if err := events.Put(seqKey(n), rec); err != nil {
				return err
			}
			if err := dead.Delete(keys[i]); err != nil {
				return err
			}
			seqs = append(seqs, n)
		}
		return nil
	})
	return seqs, err
}
