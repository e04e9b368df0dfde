package hyper

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// copyMsgHeader is the room left at the start of every buffer for the
// CopyData message header ('d' and a big-endian length), so that a whole
// buffer goes to the socket as one message in one write, without a copy.
//
// The size of those messages matters to hyperd: measured here, it spends
// about 390 ns of CPU per measurements row on 64 KiB CopyData messages
// (what pgconn's CopyFrom sends) and about 270–290 ns on 16 MiB ones,
// against about 260–300 ns to COPY the same rows from a local file.
const copyMsgHeader = 5

// copyPipe hands filled buffers from the encoder to the goroutine that
// sends them: a bounded set of buffers, so memory stays flat whatever the
// row count, while the encoder fills one buffer as the other is sent.
// Buffers start small and get bigger (64 KiB, 1 MiB, 16 MiB...) up to
// the inserter's BufferSize, so a small insert allocates little and a big
// one sends big messages.
type copyPipe struct {
	full    chan []byte
	free    chan []byte
	abort   chan struct{}
	once    sync.Once
	nbufs   int
	maxBufs int
	size    int // the largest flush size
	next    int // the flush size of the next buffer made
}

func newCopyPipe(size, maxBufs int) *copyPipe {
	return &copyPipe{
		full:    make(chan []byte, maxBufs),
		free:    make(chan []byte, maxBufs),
		abort:   make(chan struct{}),
		maxBufs: maxBufs,
		size:    size,
		next:    min(size, 64<<10),
	}
}

// copyAbortError is sent to hyperd as the CopyFail reason.
type copyAbortError struct{}

func (copyAbortError) Error() string { return "insert aborted by the client" }

// bufCap is the capacity of a buffer flushed at n bytes of rows: room for
// the message header and for the row that crosses n.
func bufCap(n int) int { return copyMsgHeader + n + n/4 }

// flushAt is the length at which buffer b is full.
func flushAt(b []byte) int { return copyMsgHeader + (cap(b)-copyMsgHeader)*4/5 }

// buffer returns an empty buffer to encode into (its first copyMsgHeader
// bytes reserved): a recycled one, a new one while fewer than maxBufs
// exist or when the recycled one is smaller than buffers now made, else
// it waits for the sender (or done).
func (p *copyPipe) buffer(done <-chan struct{}) ([]byte, bool) {
	var b []byte
	select {
	case b = <-p.free:
	default:
		if p.nbufs < p.maxBufs {
			p.nbufs++
			return p.make(), true
		}
		select {
		case b = <-p.free:
		case <-done:
			return nil, false
		}
	}
	if cap(b) < bufCap(p.next) {
		return p.make(), true // the small one is dropped
	}
	return b, true
}

// make makes a new buffer, the next one bigger.
func (p *copyPipe) make() []byte {
	b := make([]byte, copyMsgHeader, bufCap(p.next))
	p.next = min(p.next*16, p.size)
	return b
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

// copyResult is what hyperd answered to a COPY.
type copyResult struct {
	tag pgconn.CommandTag
	err error
}

// copyFrom runs sql, a COPY ... FROM STDIN, sending each buffer of p as
// one CopyData message written straight to the socket. It speaks the
// protocol through pgconn's lower layers (Frontend, Conn,
// ReceiveMessage) because pgconn's CopyFrom copies the stream into
// 64 KiB messages, which costs hyperd about a third more CPU per row.
//
// While the rows go out, another goroutine waits for hyperd's answer, so
// an error hyperd reports early (or its death) stops the sending. The
// stream ends with CopyDone when p is finished, with CopyFail when it is
// cancelled or ctx ends.
func (c *Conn) copyFrom(ctx context.Context, p *copyPipe, sql string) (pgconn.CommandTag, error) {
	pg := c.pg
	if err := ctx.Err(); err != nil {
		return pgconn.CommandTag{}, err
	}
	fe := pg.Frontend()
	fe.SendQuery(&pgproto3.Query{String: sql})
	if err := fe.Flush(); err != nil {
		c.closeBroken()
		return pgconn.CommandTag{}, err
	}
	// The first answer: CopyInResponse, or an error ending the query.
	msg, err := c.receive(ctx)
	if err != nil {
		c.closeBroken()
		return pgconn.CommandTag{}, err
	}
	if _, ok := msg.(*pgproto3.CopyInResponse); !ok {
		return c.finishQuery(ctx, msg)
	}

	answered := make(chan struct{}) // closed when hyperd has answered
	var res copyResult
	go func() {
		defer close(answered)
		res = c.readCopyAnswer(ctx)
	}()

	nc := pg.Conn()
	var sendErr error // why the rows stopped, if not a normal end
loop:
	for {
		select {
		case b, ok := <-p.full:
			if !ok {
				break loop
			}
			b[0] = 'd'
			binary.BigEndian.PutUint32(b[1:copyMsgHeader], uint32(len(b)-1))
			if _, err := nc.Write(b); err != nil {
				// The connection is broken: nothing more can be said.
				c.closeBroken()
				<-answered
				if res.err != nil {
					return pgconn.CommandTag{}, res.err
				}
				return pgconn.CommandTag{}, err
			}
			p.free <- b[:copyMsgHeader]
		case <-answered:
			// hyperd answered before the end of the rows: an error.
			sendErr = errors.New("hyperd ended the COPY early")
			break loop
		case <-p.abort:
			sendErr = copyAbortError{}
			break loop
		case <-ctx.Done():
			sendErr = ctx.Err()
			break loop
		}
	}
	var end []byte
	if sendErr == nil {
		end, _ = (&pgproto3.CopyDone{}).Encode(nil)
	} else {
		end, _ = (&pgproto3.CopyFail{Message: sendErr.Error()}).Encode(nil)
	}
	if _, err := nc.Write(end); err != nil {
		c.closeBroken()
		<-answered
		if res.err != nil {
			return pgconn.CommandTag{}, res.err
		}
		return pgconn.CommandTag{}, err
	}
	<-answered
	if res.err == nil && sendErr != nil {
		// hyperd accepted a stream the client cut short: cannot happen
		// after a CopyFail, but never report such an insert as done.
		res.err = sendErr
	}
	return res.tag, res.err
}

// readCopyAnswer reads hyperd's answer to a COPY up to ReadyForQuery:
// the command tag, or the error it reported.
func (c *Conn) readCopyAnswer(ctx context.Context) copyResult {
	var res copyResult
	for {
		msg, err := c.receive(ctx)
		if err != nil {
			c.closeBroken()
			return copyResult{err: err}
		}
		switch m := msg.(type) {
		case *pgproto3.CommandComplete:
			res.tag = pgconn.NewCommandTag(string(m.CommandTag))
		case *pgproto3.ErrorResponse:
			if res.err == nil {
				res.err = pgconn.ErrorResponseToPgError(m)
			}
		case *pgproto3.ReadyForQuery:
			return res
		}
	}
}

// finishQuery reads the rest of the answer to a query whose first
// message, msg, was not the one expected, and returns its error.
func (c *Conn) finishQuery(ctx context.Context, msg pgproto3.BackendMessage) (pgconn.CommandTag, error) {
	var err error
	for {
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			if err == nil {
				err = pgconn.ErrorResponseToPgError(m)
			}
		case *pgproto3.ReadyForQuery:
			if err == nil {
				err = fmt.Errorf("hyper: COPY did not start")
			}
			return pgconn.CommandTag{}, err
		case *pgproto3.CopyOutResponse, *pgproto3.CopyBothResponse:
			c.closeBroken()
			return pgconn.CommandTag{}, fmt.Errorf("hyper: unexpected %T to a COPY FROM", m)
		}
		var rerr error
		if msg, rerr = c.receive(ctx); rerr != nil {
			c.closeBroken()
			return pgconn.CommandTag{}, rerr
		}
	}
}

// receive reads one message; once ctx has ended (and hyperd has been
// asked to cancel) it goes on reading for a while, so that the
// connection stays in step.
func (c *Conn) receive(ctx context.Context) (pgproto3.BackendMessage, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
		defer cancel()
	}
	return c.pg.ReceiveMessage(ctx)
}

// closeBroken closes the socket of a connection whose protocol state is
// lost; pgconn marks the connection closed at its next use. (Only the
// socket: pgconn's own Close may not run beside a pending read.)
func (c *Conn) closeBroken() { _ = c.pg.Conn().Close() }
