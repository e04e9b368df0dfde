package rest

import (
	"io"
	"sync/atomic"
)

// Progress is called as a long transfer moves: done bytes so far of total
// (-1 when the size is not known). It is called from the goroutine doing the
// transfer, at most once per buffer read or written and once at the end;
// keep it quick (draw a progress bar, log a line).
type Progress func(done, total int64)

// progressReader counts the bytes read through it and reports them.
type progressReader struct {
	r     io.Reader
	done  *atomic.Int64
	total int64
	fn    Progress
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		d := p.done.Add(int64(n))
		if p.fn != nil {
			p.fn(d, p.total)
		}
	}
	return n, err
}

// progressWriter counts the bytes written through it and reports them.
type progressWriter struct {
	w     io.Writer
	done  int64
	total int64
	fn    Progress
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if n > 0 {
		p.done += int64(n)
		if p.fn != nil {
			p.fn(p.done, p.total)
		}
	}
	return n, err
}
