//go:build linux

package hyper

import (
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuMeter measures the CPU time the benchmark process and its hyperd
// spend over a timed region, so a benchmark can say where the time goes:
// client and hyperd share the machine's cores.
type cpuMeter struct {
	pid           int
	client, hyper time.Duration
}

// startCPU starts measuring for the hyperd behind c.
func startCPU(c *Conn) *cpuMeter {
	m := &cpuMeter{pid: c.proc.PID()}
	m.client, m.hyper = selfCPU(), procCPU(m.pid)
	return m
}

// report adds client-cpu-ns/row and hyperd-cpu-ns/row to b's results.
func (m *cpuMeter) report(b *testing.B, rows int) {
	client, hyper := selfCPU()-m.client, procCPU(m.pid)-m.hyper
	b.ReportMetric(float64(client.Nanoseconds())/float64(rows), "client-cpu-ns/row")
	if hyper >= 0 {
		b.ReportMetric(float64(hyper.Nanoseconds())/float64(rows), "hyperd-cpu-ns/row")
	}
}

// selfCPU is the user+system CPU time of this process.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the user+system CPU time of process pid from /proc (Linux,
// in clock ticks of 10 ms), or -1 when unknown.
func procCPU(pid int) time.Duration {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return -1
	}
	s := string(stat)
	// Fields after the command name (which may hold spaces) in parentheses.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return -1
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(ut+st) * 10 * time.Millisecond
}
