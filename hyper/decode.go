package hyper

import (
	"encoding/binary"
	"fmt"
	"math"
)

// fixedSize is the HyperBinary size of a fixed-width type, or 0 for types
// of variable length.
func fixedSize(t Type) int {
	switch t.Kind {
	case KindBool:
		return 1
	case KindSmallInt:
		return 2
	case KindInt, KindDate, KindOID:
		return 4
	case KindReal:
		return 4
	case KindBigInt, KindDouble, KindTime, KindTimestamp, KindTimestampTZ:
		return 8
	case KindInterval:
		return 16
	case KindNumeric:
		if t.wide() {
			return 16
		}
		return 8
	}
	return 0
}

// DecodeValue decodes one HyperBinary value of type t, as hyperd sends it
// in a result row (variable-length values carry no length prefix there).
// A nil b is SQL NULL and decodes to nil. The Go types are: bool, int16,
// int32, int64, float32, float64, Numeric, string (TEXT, VARCHAR, CHAR,
// JSON), []byte (BYTES, GEOGRAPHY), time.Time (DATE, TIMESTAMP,
// TIMESTAMPTZ; UTC), TimeOfDay, Interval and uint32 (OID).
func DecodeValue(t Type, b []byte) (any, error) {
	if b == nil {
		return nil, nil
	}
	if n := fixedSize(t); n != 0 && len(b) != n {
		return nil, fmt.Errorf("%w: %s value of %d bytes, want %d", ErrMalformed, t, len(b), n)
	}
	le := binary.LittleEndian
	switch t.Kind {
	case KindBool:
		if b[0] > 1 {
			return nil, fmt.Errorf("%w: BOOL byte %d", ErrMalformed, b[0])
		}
		return b[0] == 1, nil
	case KindSmallInt:
		return int16(le.Uint16(b)), nil
	case KindInt:
		return int32(le.Uint32(b)), nil
	case KindBigInt:
		return int64(le.Uint64(b)), nil
	case KindReal:
		return math.Float32frombits(le.Uint32(b)), nil
	case KindDouble:
		return math.Float64frombits(le.Uint64(b)), nil
	case KindNumeric:
		return decodeNumeric(t, b), nil
	case KindText, KindVarchar, KindChar, KindJSON:
		return string(b), nil
	case KindBytes, KindGeography:
		return append([]byte(nil), b...), nil
	case KindDate:
		return julianToTime(int64(le.Uint32(b))), nil
	case KindTime:
		return TimeOfDay(le.Uint64(b)), nil
	case KindTimestamp, KindTimestampTZ:
		return microsToTime(int64(le.Uint64(b))), nil
	case KindInterval:
		return decodeInterval(b), nil
	case KindOID:
		return le.Uint32(b), nil
	}
	return nil, fmt.Errorf("%w: cannot decode type %s", ErrMalformed, t)
}

func decodeNumeric(t Type, b []byte) Numeric {
	le := binary.LittleEndian
	if len(b) == 16 {
		return Numeric{Lo: le.Uint64(b), Hi: int64(le.Uint64(b[8:])), Scale: t.Scale}
	}
	return NumericFromInt64(int64(le.Uint64(b)), t.Scale)
}

func decodeInterval(b []byte) Interval {
	le := binary.LittleEndian
	return Interval{Micros: int64(le.Uint64(b)), Days: int32(le.Uint32(b[8:])), Months: int32(le.Uint32(b[12:]))}
}
