package hyper

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tableau-go/sdk/internal/hyperdpath"
)

// ProcessOptions configures Start. A nil *ProcessOptions uses every default.
type ProcessOptions struct {
	// Path is the hyperd executable. Default: found by the SDK's search
	// (HYPERD_PATH as file or folder, the install script's cache, a
	// pip-installed tableauhyperapi, PATH).
	Path string
	// TCP makes hyperd listen on TCP at 127.0.0.1 with a port it picks
	// itself. Default: false, a Unix socket in a private temporary folder
	// (on Windows, which has no Unix sockets for hyperd, always TCP).
	TCP bool
	// LogDir is where hyperd writes hyperd.log. Default: the private
	// temporary folder, removed by Close.
	LogDir string
	// DatabaseVersion is the file format version of databases hyperd
	// creates (0 to 4; 3 adds 128-bit NUMERIC, 4 adds 32-bit REAL).
	// Default: 0, meaning hyperd's own default (2 for current hyperd),
	// which every Tableau release since 2020.1 opens. NUMERIC with more
	// than 18 digits needs 3 or more.
	DatabaseVersion int
	// Settings are extra hyperd settings passed as --name=value; underscores
	// in names are turned into dashes as hyperd requires.
	// Default: none.
	Settings map[string]string
	// StartTimeout bounds how long Start waits for hyperd to report its
	// address. Default: 30s.
	StartTimeout time.Duration
	// KillTimeout is how long Close waits for hyperd to exit after asking
	// it to, before killing it. Default: 10s.
	KillTimeout time.Duration
	// Logger receives start and stop events. Default: none.
	Logger *slog.Logger
}

// Process is a running hyperd started by Start. Its methods are safe for
// concurrent use.
type Process struct {
	cmd         *exec.Cmd
	endpoint    Endpoint
	callback    net.Conn
	tmpDir      string
	killTimeout time.Duration
	logger      *slog.Logger
	stderr      *tailBuffer

	done    chan struct{}
	exitErr error // set before done is closed

	closeOnce sync.Once
	closeErr  error
	closing   chan struct{}
}

// Start starts hyperd with a callback connection, so that hyperd itself
// reports the address it listens on and no port is guessed. Telemetry is
// off: hyperd is started without --telemetry-opt-in, as tableauhyperapi
// starts it with Telemetry.DO_NOT_SEND_USAGE_DATA_TO_TABLEAU, so no usage
// data is sent. Close the process when done.
func Start(ctx context.Context, opts *ProcessOptions) (*Process, error) {
	var o ProcessOptions
	if opts != nil {
		o = *opts
	}
	if o.DatabaseVersion < 0 || o.DatabaseVersion > 4 {
		return nil, fmt.Errorf("%w: DatabaseVersion %d is not 0 to 4", ErrInvalidOptions, o.DatabaseVersion)
	}
	if o.StartTimeout < 0 || o.KillTimeout < 0 {
		return nil, fmt.Errorf("%w: negative timeout", ErrInvalidOptions)
	}
	for k := range o.Settings {
		if k == "" || strings.ContainsAny(k, "= \t\n") {
			return nil, fmt.Errorf("%w: setting name %q", ErrInvalidOptions, k)
		}
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = 30 * time.Second
	}
	if o.KillTimeout == 0 {
		o.KillTimeout = 10 * time.Second
	}
	if o.Path == "" {
		p, err := hyperdpath.Find()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrHyperdNotFound, err)
		}
		o.Path = p
	} else if _, err := os.Stat(o.Path); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHyperdNotFound, err)
	}

	tmp, err := os.MkdirTemp("", "hyper-")
	if err != nil {
		return nil, fmt.Errorf("hyper: temporary folder: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(tmp)
		}
	}()
	logDir := o.LogDir
	if logDir == "" {
		logDir = tmp
	}

	var ln net.Listener
	var listen, callback string
	if o.TCP || runtime.GOOS == "windows" {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
		listen = "tab.tcp://127.0.0.1:auto"
		if err == nil {
			callback = "tab.tcp://" + ln.Addr().String()
		}
	} else {
		ln, err = net.Listen("unix", filepath.Join(tmp, "callback"))
		listen = "tab.domain://" + tmp + "/domain/auto"
		callback = "tab.domain://" + tmp + "/domain/callback"
	}
	if err != nil {
		return nil, fmt.Errorf("hyper: callback listener: %w", err)
	}
	defer ln.Close()

	args := []string{"run",
		"--skip-license", "--no-password", "--init-user=tableau_internal_user",
		"--language=en_US", "--date-style=MDY", "--date-style-lenient=false",
		"--log-config=file,json,all,hyperd,0",
		"--log-dir=" + logDir,
		"--listen-connection", listen,
		"--callback-connection", callback,
	}
	if o.DatabaseVersion > 0 {
		args = append(args, "--default-database-version="+strconv.Itoa(o.DatabaseVersion))
	}
	keys := make([]string, 0, len(o.Settings))
	for k := range o.Settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--"+strings.ReplaceAll(k, "_", "-")+"="+o.Settings[k])
	}

	cmd := exec.Command(o.Path, args...)
	cmd.Dir = tmp
	tail := &tailBuffer{max: 4096}
	cmd.Stdout = io.Discard
	cmd.Stderr = tail
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("hyper: starting %s: %w", o.Path, err)
	}
	p := &Process{
		cmd: cmd, tmpDir: tmp, killTimeout: o.KillTimeout, logger: o.Logger,
		stderr: tail, done: make(chan struct{}), closing: make(chan struct{}),
	}
	go p.wait()

	type accepted struct {
		c   net.Conn
		err error
	}
	acc := make(chan accepted, 1)
	go func() {
		c, err := ln.Accept()
		acc <- accepted{c, err}
	}()
	timer := time.NewTimer(o.StartTimeout)
	defer timer.Stop()
	fail := func(err error) (*Process, error) {
		_ = cmd.Process.Kill()
		<-p.done
		return nil, err
	}
	var conn net.Conn
	select {
	case a := <-acc:
		if a.err != nil {
			return fail(fmt.Errorf("hyper: callback accept: %w", a.err))
		}
		conn = a.c
	case <-p.done:
		return nil, fmt.Errorf("hyper: hyperd did not start: %w", p.exitErr)
	case <-timer.C:
		return fail(fmt.Errorf("hyper: hyperd did not report its address within %s", o.StartTimeout))
	case <-ctx.Done():
		return fail(fmt.Errorf("hyper: starting hyperd: %w", ctx.Err()))
	}
	_ = conn.SetReadDeadline(time.Now().Add(o.StartTimeout))
	var lenb [1]byte
	if _, err := io.ReadFull(conn, lenb[:]); err != nil {
		conn.Close()
		return fail(fmt.Errorf("hyper: reading callback: %w", err))
	}
	msg := make([]byte, 1+int(lenb[0]))
	msg[0] = lenb[0]
	if _, err := io.ReadFull(conn, msg[1:]); err != nil {
		conn.Close()
		return fail(fmt.Errorf("hyper: reading callback: %w", err))
	}
	_ = conn.SetReadDeadline(time.Time{})
	ep, err := ParseCallbackMessage(msg)
	if err != nil {
		conn.Close()
		return fail(err)
	}
	p.endpoint = ep
	p.callback = conn
	ok = true
	if p.logger != nil {
		p.logger.Info("hyperd started", "pid", cmd.Process.Pid, "endpoint", ep.Descriptor)
	}
	return p, nil
}

func (p *Process) wait() {
	err := p.cmd.Wait()
	status := "exit status 0"
	if err != nil {
		status = err.Error()
	}
	p.exitErr = &ExitError{Status: status, Stderr: p.stderr.String()}
	close(p.done)
}

// Endpoint returns where hyperd listens.
func (p *Process) Endpoint() Endpoint { return p.endpoint }

// PID returns hyperd's process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Done is closed when hyperd has exited, for whatever reason.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err returns nil while hyperd runs, then an *ExitError (matching
// ErrProcessExited) describing how it ended.
func (p *Process) Err() error {
	select {
	case <-p.done:
		return p.exitErr
	default:
		return nil
	}
}

// Close asks hyperd to shut down by closing the callback connection, waits
// up to KillTimeout for it to exit, then kills it. It removes the private
// temporary folder. Connections still open fail afterwards. Close returns
// nil when hyperd shut down cleanly or had already been asked to.
func (p *Process) Close() error {
	p.closeOnce.Do(func() {
		close(p.closing)
		_ = p.callback.Close()
		t := time.NewTimer(p.killTimeout)
		defer t.Stop()
		select {
		case <-p.done:
		case <-t.C:
			_ = p.cmd.Process.Kill()
			<-p.done
			p.closeErr = fmt.Errorf("hyper: hyperd did not exit within %s and was killed", p.killTimeout)
		}
		if p.logger != nil {
			p.logger.Info("hyperd stopped", "pid", p.cmd.Process.Pid, "status", p.exitErr.Error())
		}
		_ = os.RemoveAll(p.tmpDir)
	})
	return p.closeErr
}

// deadErr returns the error to report when hyperd has gone away, waiting
// briefly because a broken connection is often seen before the exit.
func (p *Process) deadErr(wait time.Duration) error {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-p.done:
		select {
		case <-p.closing:
			return fmt.Errorf("%w: the process was closed", ErrClosed)
		default:
		}
		return p.exitErr
	case <-t.C:
		return nil
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}
