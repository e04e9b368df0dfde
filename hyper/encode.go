package hyper

import (
	"encoding/binary"
	"math"
	"time"
)

// copyHeader starts every COPY ... WITH (FORMAT HYPERBINARY) stream.
var copyHeader = [19]byte{'H', 'P', 'R', 'C', 'P', 'Y'}

// The append functions encode one HyperBinary COPY value (without the
// nullability flag) at the end of b.

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendInt16(b []byte, v int16) []byte { return binary.LittleEndian.AppendUint16(b, uint16(v)) }
func appendInt32(b []byte, v int32) []byte { return binary.LittleEndian.AppendUint32(b, uint32(v)) }
func appendInt64(b []byte, v int64) []byte { return binary.LittleEndian.AppendUint64(b, uint64(v)) }
func appendFloat32(b []byte, v float32) []byte {
	return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
}
func appendFloat64(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// appendVarlen encodes TEXT, VARCHAR, CHAR, BYTES, JSON and GEOGRAPHY: a
// u32 length, then the bytes.
func appendString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func appendBytes(b []byte, s []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendDate encodes t's calendar date as a Julian day.
func appendDate(b []byte, t time.Time) []byte {
	return binary.LittleEndian.AppendUint32(b, uint32(dateToJulian(t)))
}

func appendTimestamp(b []byte, t time.Time) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(timestampMicros(t)))
}

func appendTimestampTZ(b []byte, t time.Time) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(timestampTZMicros(t)))
}

func appendInterval(b []byte, iv Interval) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(iv.Micros))
	b = binary.LittleEndian.AppendUint32(b, uint32(iv.Days))
	return binary.LittleEndian.AppendUint32(b, uint32(iv.Months))
}

// appendNumeric encodes an unscaled value already at the column's scale:
// 8 bytes for precision up to 18, else 16.
func appendNumeric(b []byte, n Numeric, wide bool) []byte {
	b = binary.LittleEndian.AppendUint64(b, n.Lo)
	if wide {
		b = binary.LittleEndian.AppendUint64(b, uint64(n.Hi))
	}
	return b
}
