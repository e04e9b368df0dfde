package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"syscall"
	"time"
)

// rawRequest returns the bytes of the POST request that -client raw sends
// on every round trip: the request line, the headers and the JSON body.
func rawRequest(host, path, auth string, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: bench-analytics\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, host, len(body))
	if auth != "" {
		fmt.Fprintf(&b, "Authorization: %s\r\n", auth)
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// rawClient is a minimal HTTP/1.1 keep-alive client on one TCP
// connection, used by one goroutine: it writes the pre-built request in
// one write and reads the answer's status line, headers and body (by
// Content-Length, chunked, or up to the end of the connection). It dials
// again when the server closed the connection.
type rawClient struct {
	addr     string    // host:port
	req      []byte    // the whole request
	deadline time.Time // for every read and write: the end of the run and a minute

	conn net.Conn
	br   *bufio.Reader
	body []byte // the last answer's body, reused
}

// post sends the request and hands the answer's body to check if its
// status is 200; any other status is an error that quotes the body.
func (c *rawClient) post(check func([]byte) error) error {
	status, body, err := c.roundTrip()
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("status %d: %.200s", status, body)
	}
	return check(body)
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

func (c *rawClient) roundTrip() (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
		if err != nil {
			return 0, nil, err
		}
		if err := conn.SetDeadline(c.deadline); err != nil {
			conn.Close()
			return 0, nil, err
		}
		c.conn = conn
		if c.br == nil {
			c.br = bufio.NewReaderSize(conn, 64<<10)
		} else {
			c.br.Reset(conn)
		}
	}
	if _, err := c.conn.Write(c.req); err != nil {
		c.close()
		return 0, nil, err
	}
	status, keep, err := c.readResponse()
	if err != nil || !keep {
		c.close()
	}
	return status, c.body, err
}

var errMalformed = errors.New("malformed HTTP response")

// readResponse reads one answer into c.body and reports its status and
// whether the connection stays open.
func (c *rawClient) readResponse() (status int, keep bool, err error) {
	line, err := c.line()
	if err != nil {
		return 0, false, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, fmt.Errorf("%w: status line %q", errMalformed, line)
	}
	keep = line[7] == '1'
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("%w: status line %q", errMalformed, line)
	}
	length, chunked := -1, false
	for {
		line, err := c.line()
		if err != nil {
			return 0, false, err
		}
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return 0, false, fmt.Errorf("%w: header %q", errMalformed, line)
		}
		name, val := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(val)); err != nil || length < 0 {
				return 0, false, fmt.Errorf("%w: Content-Length %q", errMalformed, val)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(val, []byte("chunked"))
			if !chunked && !bytes.EqualFold(val, []byte("identity")) {
				return 0, false, fmt.Errorf("unsupported Transfer-Encoding %q", val)
			}
		case bytes.EqualFold(name, []byte("Connection")):
			if bytes.EqualFold(val, []byte("close")) {
				keep = false
			} else if bytes.EqualFold(val, []byte("keep-alive")) {
				keep = true
			}
		}
	}
	c.body = c.body[:0]
	switch {
	case chunked:
		err = c.readChunked()
	case length >= 0:
		c.body = grow(c.body, length)
		_, err = io.ReadFull(c.br, c.body)
	default: // the body ends with the connection
		var b bytes.Buffer
		_, err = b.ReadFrom(c.br)
		c.body, keep = append(c.body, b.Bytes()...), false
	}
	return status, keep, err
}

// readChunked reads a chunked body into c.body (trailers are skipped).
func (c *rawClient) readChunked() error {
	for {
		line, err := c.line()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 31)
		if err != nil {
			return fmt.Errorf("%w: chunk size %q", errMalformed, line)
		}
		if n == 0 {
			for { // trailers, then the empty line
				line, err := c.line()
				if err != nil || len(line) == 0 {
					return err
				}
			}
		}
		start := len(c.body)
		c.body = grow(c.body, start+int(n))
		if _, err := io.ReadFull(c.br, c.body[start:]); err != nil {
			return err
		}
		if line, err := c.line(); err != nil || len(line) != 0 {
			if err == nil {
				err = fmt.Errorf("%w: no CRLF after a chunk", errMalformed)
			}
			return err
		}
	}
}

// line returns the next line without its CRLF; it is valid until the next read.
func (c *rawClient) line() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) == 0 {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, nil
}

// grow returns b with length n, reusing its array when it is big enough.
func grow(b []byte, n int) []byte {
	if cap(b) >= n {
		return b[:n]
	}
	return append(b[:cap(b)], make([]byte, n-cap(b))...)
}

// selfCPUTime returns the user+system CPU time of this process so far.
func selfCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
