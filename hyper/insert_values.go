package hyper

import (
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"
	"unicode/utf8"
)

// slot returns the column the next value goes to, writing its NULL flag,
// or nil when the row already failed or is full.
func (ins *Inserter) slot() *insCol {
	if ins.rowErr != nil {
		ins.col++
		return nil
	}
	if ins.col >= len(ins.cols) {
		ins.rowErr = &ValueError{Err: ErrRowLength, Detail: fmt.Sprintf("more than %d values", len(ins.cols))}
		return nil
	}
	c := &ins.cols[ins.col]
	ins.col++
	if !c.notNull {
		ins.buf = append(ins.buf, 0)
	}
	return c
}

// bad records a value that does not fit column c.
func (ins *Inserter) bad(c *insCol, err error, format string, args ...any) {
	if ins.rowErr == nil {
		ins.rowErr = &ValueError{Column: c.name, Err: err, Detail: fmt.Sprintf(format, args...)}
	}
}

// AddNull adds SQL NULL.
func (ins *Inserter) AddNull() {
	if ins.rowErr != nil || ins.col >= len(ins.cols) {
		ins.slot()
		return
	}
	c := &ins.cols[ins.col]
	ins.col++
	if c.notNull {
		ins.bad(c, ErrNullNotAllowed, "column %s is NOT NULL", c.typ)
		return
	}
	ins.buf = append(ins.buf, 1)
}

// AddBool adds a BOOL.
func (ins *Inserter) AddBool(v bool) {
	if c := ins.slot(); c != nil {
		if c.kind != KindBool {
			ins.bad(c, ErrWrongType, "Go bool for %s column", c.typ)
			return
		}
		ins.buf = appendBool(ins.buf, v)
	}
}

// AddInt16 adds an integer to a SMALLINT, INT, BIGINT, NUMERIC, REAL or
// DOUBLE PRECISION column.
func (ins *Inserter) AddInt16(v int16) { ins.AddInt64(int64(v)) }

// AddInt32 adds an integer (see AddInt16 for the columns it fits).
func (ins *Inserter) AddInt32(v int32) {
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if c := &ins.cols[ins.col]; c.kind == KindInt {
			if b, n := ins.buf, len(ins.buf); cap(b)-n >= 5 {
				// Room for the flag and the value: no append, one store
				// of the slice length.
				if !c.notNull {
					b = b[:n+5]
					b[n] = 0
					n++
				} else {
					b = b[:n+4]
				}
				binary.LittleEndian.PutUint32(b[n:], uint32(v))
				ins.buf = b
				ins.col++
				return
			}
			if !c.notNull {
				ins.buf = append(ins.buf, 0)
			}
			ins.buf = appendInt32(ins.buf, v)
			ins.col++
			return
		}
	}
	ins.AddInt64(int64(v))
}

// AddInt adds an integer (see AddInt16 for the columns it fits).
func (ins *Inserter) AddInt(v int) { ins.AddInt64(int64(v)) }

// AddInt64 adds an integer (see AddInt16 for the columns it fits); it
// fails when the value is out of the column's range.
func (ins *Inserter) AddInt64(v int64) {
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if c := &ins.cols[ins.col]; c.kind == KindBigInt {
			if b, n := ins.buf, len(ins.buf); cap(b)-n >= 9 {
				if !c.notNull {
					b = b[:n+9]
					b[n] = 0
					n++
				} else {
					b = b[:n+8]
				}
				binary.LittleEndian.PutUint64(b[n:], uint64(v))
				ins.buf = b
				ins.col++
				return
			}
			if !c.notNull {
				ins.buf = append(ins.buf, 0)
			}
			ins.buf = appendInt64(ins.buf, v)
			ins.col++
			return
		}
	}
	c := ins.slot()
	if c == nil {
		return
	}
	switch c.kind {
	case KindSmallInt:
		if v < math.MinInt16 || v > math.MaxInt16 {
			ins.bad(c, ErrWrongType, "%d is out of range for SMALLINT", v)
			return
		}
		ins.buf = appendInt16(ins.buf, int16(v))
	case KindInt:
		if v < math.MinInt32 || v > math.MaxInt32 {
			ins.bad(c, ErrWrongType, "%d is out of range for INT", v)
			return
		}
		ins.buf = appendInt32(ins.buf, int32(v))
	case KindBigInt:
		ins.buf = appendInt64(ins.buf, v)
	case KindReal:
		ins.buf = appendFloat32(ins.buf, float32(v))
	case KindDouble:
		ins.buf = appendFloat64(ins.buf, float64(v))
	case KindNumeric:
		ins.putNumeric(c, NumericFromInt64(v, 0))
	case KindOID:
		if v < 0 || v > math.MaxUint32 {
			ins.bad(c, ErrWrongType, "%d is out of range for OID", v)
			return
		}
		ins.buf = appendInt32(ins.buf, int32(uint32(v)))
	default:
		ins.bad(c, ErrWrongType, "Go integer for %s column", c.typ)
	}
}

// AddFloat32 adds a float to a REAL or DOUBLE PRECISION column.
func (ins *Inserter) AddFloat32(v float32) {
	if c := ins.slot(); c != nil {
		switch c.kind {
		case KindReal:
			ins.buf = appendFloat32(ins.buf, v)
		case KindDouble:
			ins.buf = appendFloat64(ins.buf, float64(v))
		default:
			ins.bad(c, ErrWrongType, "Go float32 for %s column", c.typ)
		}
	}
}

// AddFloat64 adds a float to a DOUBLE PRECISION, REAL or NUMERIC column
// (NUMERIC rounds to the column's scale).
func (ins *Inserter) AddFloat64(v float64) {
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if c := &ins.cols[ins.col]; c.kind == KindDouble {
			if b, n := ins.buf, len(ins.buf); cap(b)-n >= 9 {
				if !c.notNull {
					b = b[:n+9]
					b[n] = 0
					n++
				} else {
					b = b[:n+8]
				}
				binary.LittleEndian.PutUint64(b[n:], math.Float64bits(v))
				ins.buf = b
				ins.col++
				return
			}
			if !c.notNull {
				ins.buf = append(ins.buf, 0)
			}
			ins.buf = appendFloat64(ins.buf, v)
			ins.col++
			return
		}
	}
	if c := ins.slot(); c != nil {
		switch c.kind {
		case KindDouble:
			ins.buf = appendFloat64(ins.buf, v)
		case KindReal:
			ins.buf = appendFloat32(ins.buf, float32(v))
		case KindNumeric:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				ins.bad(c, ErrWrongType, "%v for NUMERIC", v)
				return
			}
			n, err := ParseNumeric(strconv.FormatFloat(v, 'f', c.typ.Scale, 64))
			if err != nil {
				ins.bad(c, ErrWrongType, "%v", err)
				return
			}
			ins.putNumeric(c, n)
		default:
			ins.bad(c, ErrWrongType, "Go float64 for %s column", c.typ)
		}
	}
}

// AddString adds text to a TEXT, VARCHAR, CHAR, JSON, BYTES or GEOGRAPHY
// column (GEOGRAPHY takes its binary form; insert WKT through a
// ColumnMapping with a CAST), or a decimal to a NUMERIC column.
func (ins *Inserter) AddString(v string) {
	// TEXT, the common case, skips slot's checks.
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if c := &ins.cols[ins.col]; c.kind == KindText {
			if !utf8.ValidString(v) {
				ins.col++
				ins.bad(c, ErrWrongType, "text is not valid UTF-8")
				return
			}
			b := ins.buf
			if !c.notNull {
				b = append(b, 0)
			}
			ins.buf = appendString(b, v)
			ins.col++
			return
		}
	}
	c := ins.slot()
	if c == nil {
		return
	}
	switch c.kind {
	case KindText, KindJSON:
	case KindVarchar, KindChar:
		if c.typ.Length > 0 {
			if n := utf8.RuneCountInString(v); n > c.typ.Length {
				ins.bad(c, ErrWrongType, "%d characters for %s", n, c.typ)
				return
			}
		}
	case KindBytes, KindGeography:
		ins.buf = appendString(ins.buf, v)
		return
	case KindNumeric:
		n, err := ParseNumeric(v)
		if err != nil {
			ins.bad(c, ErrWrongType, "%v", err)
			return
		}
		ins.putNumeric(c, n)
		return
	default:
		ins.bad(c, ErrWrongType, "Go string for %s column", c.typ)
		return
	}
	if !utf8.ValidString(v) {
		ins.bad(c, ErrWrongType, "text is not valid UTF-8")
		return
	}
	ins.buf = appendString(ins.buf, v)
}

// AddBytes adds bytes to a BYTES or GEOGRAPHY column (or text to a text
// column).
func (ins *Inserter) AddBytes(v []byte) {
	if v == nil {
		ins.AddNull()
		return
	}
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if k := ins.cols[ins.col].kind; k == KindBytes || k == KindGeography {
			ins.slot()
			ins.buf = appendBytes(ins.buf, v)
			return
		}
	}
	ins.AddString(string(v))
}

// AddTime adds a time to a DATE (its calendar date in t's location),
// TIMESTAMP (its wall clock in t's location) or TIMESTAMPTZ (the instant)
// column.
func (ins *Inserter) AddTime(t time.Time) {
	// The common DATE and TIMESTAMP columns skip slot's checks and
	// appends (the buffer has room for a null flag and 8 bytes).
	if ins.rowErr == nil && ins.col < len(ins.cols) {
		if c := &ins.cols[ins.col]; c.kind == KindDate || c.kind == KindTimestamp {
			if b, n := ins.buf, len(ins.buf); cap(b)-n >= 9 {
				if !c.notNull {
					b = b[:n+1]
					b[n] = 0
				}
				if c.kind == KindDate {
					b = binary.LittleEndian.AppendUint32(b, uint32(dateToJulian(t)))
				} else {
					b = binary.LittleEndian.AppendUint64(b, uint64(timestampMicros(t)))
				}
				ins.buf = b
				ins.col++
				return
			}
		}
	}
	if c := ins.slot(); c != nil {
		switch c.kind {
		case KindDate:
			ins.buf = appendDate(ins.buf, t)
		case KindTimestamp:
			ins.buf = appendTimestamp(ins.buf, t)
		case KindTimestampTZ:
			ins.buf = appendTimestampTZ(ins.buf, t)
		default:
			ins.bad(c, ErrWrongType, "Go time.Time for %s column", c.typ)
		}
	}
}

// AddTimeOfDay adds a TIME.
func (ins *Inserter) AddTimeOfDay(v TimeOfDay) {
	if c := ins.slot(); c != nil {
		if c.kind != KindTime {
			ins.bad(c, ErrWrongType, "TimeOfDay for %s column", c.typ)
			return
		}
		if v < 0 || v > 24*3600*1_000_000 {
			ins.bad(c, ErrWrongType, "time of day %d µs is out of range", int64(v))
			return
		}
		ins.buf = appendInt64(ins.buf, int64(v))
	}
}

// AddInterval adds an INTERVAL.
func (ins *Inserter) AddInterval(v Interval) {
	if c := ins.slot(); c != nil {
		if c.kind != KindInterval {
			ins.bad(c, ErrWrongType, "Interval for %s column", c.typ)
			return
		}
		ins.buf = appendInterval(ins.buf, v)
	}
}

// AddNumeric adds a NUMERIC, rescaled to the column's scale; it fails
// when digits would be lost or the value exceeds the column's precision.
func (ins *Inserter) AddNumeric(v Numeric) {
	if c := ins.slot(); c != nil {
		switch c.kind {
		case KindNumeric:
			ins.putNumeric(c, v)
		case KindDouble:
			ins.buf = appendFloat64(ins.buf, v.Float64())
		default:
			ins.bad(c, ErrWrongType, "Numeric for %s column", c.typ)
		}
	}
}

func (ins *Inserter) putNumeric(c *insCol, v Numeric) {
	n, err := v.Rescale(c.typ.Scale)
	if err != nil {
		ins.bad(c, ErrWrongType, "%v", err)
		return
	}
	if !numericFits(n, c.typ.Precision) {
		ins.bad(c, ErrWrongType, "%s has more digits than %s allows", v, c.typ)
		return
	}
	ins.buf = appendNumeric(ins.buf, n, c.typ.wide())
}

// numericFits reports whether |n's unscaled value| < 10^precision.
func numericFits(n Numeric, precision int) bool {
	if n.fitsInt64() && precision <= 18 {
		v := int64(n.Lo)
		return v > -pow10[precision] && v < pow10[precision]
	}
	if precision <= 18 {
		return false
	}
	lim := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(precision)), nil)
	return new(big.Int).Abs(n.BigInt()).Cmp(lim) < 0
}

// AddValue adds a Go value of any type the typed Add methods take, a
// pointer to one (nil is NULL), nil, *big.Int (NUMERIC), time.Duration
// (TIME or INTERVAL), json.RawMessage or a driver.Valuer.
func (ins *Inserter) AddValue(v any) {
	switch x := v.(type) {
	case nil:
		ins.AddNull()
	case bool:
		ins.AddBool(x)
	case int:
		ins.AddInt64(int64(x))
	case int8:
		ins.AddInt64(int64(x))
	case int16:
		ins.AddInt64(int64(x))
	case int32:
		ins.AddInt32(x)
	case int64:
		ins.AddInt64(x)
	case uint8:
		ins.AddInt64(int64(x))
	case uint16:
		ins.AddInt64(int64(x))
	case uint32:
		ins.AddInt64(int64(x))
	case uint64:
		if x > math.MaxInt64 {
			ins.addBad(fmt.Sprintf("%d is out of range", x))
			return
		}
		ins.AddInt64(int64(x))
	case float32:
		ins.AddFloat32(x)
	case float64:
		ins.AddFloat64(x)
	case string:
		ins.AddString(x)
	case []byte:
		ins.AddBytes(x)
	case json.RawMessage:
		ins.AddString(string(x))
	case time.Time:
		ins.AddTime(x)
	case TimeOfDay:
		ins.AddTimeOfDay(x)
	case time.Duration:
		if ins.col < len(ins.cols) && ins.cols[ins.col].kind == KindInterval {
			ins.AddInterval(Interval{Micros: x.Microseconds()})
		} else {
			ins.AddTimeOfDay(TimeOfDay(x.Microseconds()))
		}
	case Interval:
		ins.AddInterval(x)
	case Numeric:
		ins.AddNumeric(x)
	case *big.Int:
		if x == nil {
			ins.AddNull()
			return
		}
		n, err := NumericFromBig(x, 0)
		if err != nil {
			ins.addBad(err.Error())
			return
		}
		ins.AddNumeric(n)
	case driver.Valuer:
		dv, err := x.Value()
		if err != nil {
			ins.addBad(err.Error())
			return
		}
		ins.AddValue(dv)
	default:
		if !ins.addPointer(v) {
			ins.addBad(fmt.Sprintf("Go type %T is not supported", v))
		}
	}
}

// addBad consumes a slot and records a wrong-type error for it.
func (ins *Inserter) addBad(detail string) {
	if c := ins.slot(); c != nil {
		ins.bad(c, ErrWrongType, "%s", detail)
	}
}

// AddRow adds one complete row; see AddValue for the Go types accepted.
func (ins *Inserter) AddRow(values ...any) error {
	if ins.err != nil {
		return ins.err
	}
	for _, v := range values {
		ins.AddValue(v)
	}
	return ins.EndRow()
}
