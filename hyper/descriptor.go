package hyper

import (
	"errors"
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
)

// Endpoint is where a hyperd listens, as reported through the callback
// connection.
type Endpoint struct {
	// Network is "unix" or "tcp".
	Network string
	// Host is the socket folder for "unix" and the host for "tcp".
	Host string
	// Port is the TCP port, or the number of the Unix socket .s.PGSQL.N.
	Port int
	// Descriptor is the descriptor as hyperd sent it, for example
	// "tab.tcp://127.0.0.1:7483".
	Descriptor string
}

// errDescriptor is the cause of every descriptor parse failure.
var errDescriptor = errors.New("hyper: malformed connection descriptor")

// ParseCallbackMessage parses what hyperd sends on its callback connection:
// one length byte, then that many bytes of connection descriptor, the last
// of which is a NUL.
func ParseCallbackMessage(msg []byte) (Endpoint, error) {
	if len(msg) < 1 {
		return Endpoint{}, fmt.Errorf("%w: empty callback message", errDescriptor)
	}
	n := int(msg[0])
	if len(msg)-1 < n {
		return Endpoint{}, fmt.Errorf("%w: callback message announces %d bytes but holds %d", errDescriptor, n, len(msg)-1)
	}
	body := msg[1 : 1+n]
	if len(body) > 0 && body[len(body)-1] == 0 {
		body = body[:len(body)-1]
	}
	return ParseDescriptor(string(body))
}

// ParseDescriptor parses a hyperd connection descriptor:
// "tab.tcp://HOST:PORT" or "tab.domain://DIR/domain/.s.PGSQL.N".
func ParseDescriptor(d string) (Endpoint, error) {
	if strings.ContainsRune(d, 0) {
		return Endpoint{}, fmt.Errorf("%w: %q holds a NUL byte", errDescriptor, d)
	}
	switch {
	case strings.HasPrefix(d, "tab.tcp://"):
		hostport := strings.TrimPrefix(d, "tab.tcp://")
		host, port, err := net.SplitHostPort(hostport)
		if err != nil {
			return Endpoint{}, fmt.Errorf("%w: %q: %v", errDescriptor, d, err)
		}
		p, err := strconv.Atoi(port)
		if err != nil || p <= 0 || p > 65535 || host == "" {
			return Endpoint{}, fmt.Errorf("%w: %q: bad host or port", errDescriptor, d)
		}
		return Endpoint{Network: "tcp", Host: host, Port: p, Descriptor: d}, nil
	case strings.HasPrefix(d, "tab.domain://"):
		rest := strings.TrimPrefix(d, "tab.domain://")
		i := strings.LastIndex(rest, "/domain/")
		if i < 0 {
			return Endpoint{}, fmt.Errorf("%w: %q: no /domain/ part", errDescriptor, d)
		}
		dir, name := rest[:i], rest[i+len("/domain/"):]
		num, ok := strings.CutPrefix(name, ".s.PGSQL.")
		if !ok {
			return Endpoint{}, fmt.Errorf("%w: %q: socket name %q is not .s.PGSQL.N", errDescriptor, d, name)
		}
		p, err := strconv.Atoi(num)
		if err != nil || p <= 0 || p > 65535 || strings.HasPrefix(num, "+") {
			return Endpoint{}, fmt.Errorf("%w: %q: bad socket number", errDescriptor, d)
		}
		if dir == "" || !strings.HasPrefix(dir, "/") || path.Clean(dir) != dir {
			return Endpoint{}, fmt.Errorf("%w: %q: socket folder must be an absolute clean path", errDescriptor, d)
		}
		return Endpoint{Network: "unix", Host: dir, Port: p, Descriptor: d}, nil
	}
	return Endpoint{}, fmt.Errorf("%w: %q: unknown scheme", errDescriptor, d)
}

// connString returns the pgconn connection string for the endpoint.
func (e Endpoint) connString(database string) string {
	s := "host='" + escapeConnValue(e.Host) + "' port=" + strconv.Itoa(e.Port) +
		" user=tableau_internal_user sslmode=disable"
	if database != "" {
		s += " dbname='" + escapeConnValue(database) + "'"
	}
	return s
}

func escapeConnValue(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, `'`, `\'`)
}
