package hyper

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// InsertArrow inserts every record batch of rdr into table with COPY ...
// FROM STDIN WITH (FORMAT ARROWSTREAM): hyperd matches the Arrow fields
// to the table's columns by position. All batches land or none.
func (c *Conn) InsertArrow(ctx context.Context, table TableName, rdr array.RecordReader) (int64, error) {
	if err := c.check(); err != nil {
		return 0, err
	}
	pr, pw := io.Pipe()
	go func() {
		w := ipc.NewWriter(pw, ipc.WithSchema(rdr.Schema()))
		var err error
		for rdr.Next() {
			if err = w.Write(rdr.RecordBatch()); err != nil {
				break
			}
		}
		if err == nil {
			err = rdr.Err()
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		pw.CloseWithError(err) // nil closes with io.EOF
	}()
	tag, err := c.pg.CopyFrom(ctx, pr, "COPY "+table.String()+" FROM STDIN WITH (FORMAT ARROWSTREAM)")
	pr.CloseWithError(errors.New("hyper: COPY ended"))
	if err != nil {
		return 0, c.wrapCtx(ctx, err)
	}
	return tag.RowsAffected(), nil
}

// QueryArrow runs a query and calls fn with each result batch as Arrow
// (COPY (query) TO STDOUT WITH (FORMAT ARROWSTREAM)). A batch is valid
// only during its call; Retain it to keep it. An error from fn stops the
// query.
func (c *Conn) QueryArrow(ctx context.Context, sql string, fn func(arrow.RecordBatch) error) error {
	if err := c.check(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pr, pw := io.Pipe()
	copyDone := make(chan error, 1)
	go func() {
		_, err := c.pg.CopyTo(ctx, pw, "COPY ("+sql+") TO STDOUT WITH (FORMAT ARROWSTREAM)")
		pw.CloseWithError(err)
		copyDone <- err
	}()
	err := readArrow(pr, fn)
	if err != nil {
		cancel()
		pr.CloseWithError(err)
	}
	cerr := <-copyDone
	if cerr != nil {
		if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || isPipeErr(err) {
			return c.wrap(cerr)
		}
	}
	return err
}

func isPipeErr(err error) bool {
	return errors.Is(err, io.ErrClosedPipe)
}

func readArrow(r io.Reader, fn func(arrow.RecordBatch) error) error {
	rdr, err := ipc.NewReader(r, ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return fmt.Errorf("hyper: reading Arrow stream: %w", err)
	}
	defer rdr.Release()
	for rdr.Next() {
		if err := fn(rdr.RecordBatch()); err != nil {
			return err
		}
	}
	if err := rdr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("hyper: reading Arrow stream: %w", err)
	}
	// Drain so the COPY can finish.
	_, _ = io.Copy(io.Discard, r)
	return nil
}
