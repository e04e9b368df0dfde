package hyper

import (
	"io"
	"sync"
)

// copyPipe hands filled buffers from the encoder to pgconn's COPY sender
// without blocking the encoder on each write: a bounded ring of buffers,
// so memory stays flat whatever the row count.
type copyPipe struct {
	full    chan []byte
	free    chan []byte
	abort   chan struct{}
	ctxDone <-chan struct{}
	ctxErr  func() error
	once    sync.Once
	cur     []byte
	off     int
	nbufs   int
	maxBufs int
	size    int
}

func newCopyPipe(size, maxBufs int) *copyPipe {
	return &copyPipe{
		full:    make(chan []byte, maxBufs),
		free:    make(chan []byte, maxBufs),
		abort:   make(chan struct{}),
		maxBufs: maxBufs,
		size:    size,
	}
}

// errCopyAborted is sent to hyperd as the CopyFail reason.
type copyAbortError struct{}

func (copyAbortError) Error() string { return "insert aborted by the client" }

// Read implements io.Reader for pgconn.CopyFrom.
func (p *copyPipe) Read(b []byte) (int, error) {
	for p.off >= len(p.cur) {
		if p.cur != nil {
			p.free <- p.cur[:0]
			p.cur = nil
		}
		select {
		case c, ok := <-p.full:
			if !ok {
				return 0, io.EOF
			}
			p.cur, p.off = c, 0
		case <-p.abort:
			return 0, copyAbortError{}
		case <-p.ctxDone:
			return 0, p.ctxErr()
		}
	}
	n := copy(b, p.cur[p.off:])
	p.off += n
	return n, nil
}

// buffer returns an empty buffer to encode into: a recycled one, a new one
// while fewer than maxBufs exist, else it waits for the sender (or done).
func (p *copyPipe) buffer(done <-chan struct{}) ([]byte, bool) {
	select {
	case b := <-p.free:
		return b, true
	default:
	}
	if p.nbufs < p.maxBufs {
		p.nbufs++
		return make([]byte, 0, p.size+p.size/4), true
	}
	select {
	case b := <-p.free:
		return b, true
	case <-done:
		return nil, false
	}
}

// send queues a filled buffer; false if the COPY already ended.
func (p *copyPipe) send(b []byte, done <-chan struct{}) bool {
	select {
	case p.full <- b:
		return true
	case <-done:
		return false
	}
}

// finish ends the stream normally.
func (p *copyPipe) finish() { close(p.full) }

// cancel ends the stream with CopyFail.
func (p *copyPipe) cancel() { p.once.Do(func() { close(p.abort) }) }
