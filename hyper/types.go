package hyper

import (
	"fmt"
	"strconv"
)

// Kind is a Hyper SQL type without its parameters.
type Kind uint8

// The Hyper SQL types.
const (
	KindUnknown Kind = iota
	KindBool
	KindSmallInt
	KindInt
	KindBigInt
	KindReal
	KindDouble
	KindNumeric
	KindText
	KindVarchar
	KindChar
	KindBytes
	KindDate
	KindTime
	KindTimestamp
	KindTimestampTZ
	KindInterval
	KindGeography
	KindJSON
	KindOID
)

// Type OIDs as hyperd reports them.
const (
	oidBool        = 16
	oidBytes       = 17
	oidChar1       = 18
	oidBigInt      = 20
	oidSmallInt    = 21
	oidInt         = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidReal        = 700
	oidDouble      = 701
	oidChar        = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
	oidGeography   = 5003
)

// Type is a Hyper SQL type with its parameters.
type Type struct {
	Kind Kind
	// Precision and Scale apply to NUMERIC (precision 1 to 38).
	Precision, Scale int
	// Length applies to VARCHAR(n) and CHAR(n); 0 means unbounded VARCHAR.
	Length int
}

// Bool returns the type BOOL.
func Bool() Type { return Type{Kind: KindBool} }

// SmallInt returns the type SMALLINT (16-bit integer).
func SmallInt() Type { return Type{Kind: KindSmallInt} }

// Int returns the type INT (32-bit integer).
func Int() Type { return Type{Kind: KindInt} }

// BigInt returns the type BIGINT (64-bit integer).
func BigInt() Type { return Type{Kind: KindBigInt} }

// Real returns the type REAL (32-bit float; needs database version 4).
func Real() Type { return Type{Kind: KindReal} }

// Double returns the type DOUBLE PRECISION.
func Double() Type { return Type{Kind: KindDouble} }

// NumericType returns NUMERIC(precision, scale), precision 1 to 38.
func NumericType(precision, scale int) Type {
	return Type{Kind: KindNumeric, Precision: precision, Scale: scale}
}

// Text returns the type TEXT.
func Text() Type { return Type{Kind: KindText} }

// Varchar returns VARCHAR(n); n = 0 is VARCHAR without a limit.
func Varchar(n int) Type { return Type{Kind: KindVarchar, Length: n} }

// Char returns CHAR(n).
func Char(n int) Type { return Type{Kind: KindChar, Length: n} }

// Bytes returns the type BYTEA (BYTES in tableauhyperapi).
func Bytes() Type { return Type{Kind: KindBytes} }

// Date returns the type DATE.
func Date() Type { return Type{Kind: KindDate} }

// Time returns the type TIME (time of day, microseconds).
func Time() Type { return Type{Kind: KindTime} }

// Timestamp returns the type TIMESTAMP (without time zone, microseconds).
func Timestamp() Type { return Type{Kind: KindTimestamp} }

// TimestampTZ returns the type TIMESTAMPTZ (an instant, microseconds).
func TimestampTZ() Type { return Type{Kind: KindTimestampTZ} }

// IntervalType returns the type INTERVAL.
func IntervalType() Type { return Type{Kind: KindInterval} }

// Geography returns the type GEOGRAPHY (Tableau's tabgeography; insert WKT through a CAST mapping).
func Geography() Type { return Type{Kind: KindGeography} }

// JSON returns the type JSON.
func JSON() Type { return Type{Kind: KindJSON} }

// OID returns the type OID.
func OID() Type { return Type{Kind: KindOID} }

// String returns the type in SQL, for example "NUMERIC(18,2)".
func (t Type) String() string {
	switch t.Kind {
	case KindBool:
		return "BOOL"
	case KindSmallInt:
		return "SMALLINT"
	case KindInt:
		return "INT"
	case KindBigInt:
		return "BIGINT"
	case KindReal:
		return "REAL"
	case KindDouble:
		return "DOUBLE PRECISION"
	case KindNumeric:
		return "NUMERIC(" + strconv.Itoa(t.Precision) + "," + strconv.Itoa(t.Scale) + ")"
	case KindText:
		return "TEXT"
	case KindVarchar:
		if t.Length == 0 {
			return "VARCHAR"
		}
		return "VARCHAR(" + strconv.Itoa(t.Length) + ")"
	case KindChar:
		return "CHAR(" + strconv.Itoa(max(t.Length, 1)) + ")"
	case KindBytes:
		return "BYTEA"
	case KindDate:
		return "DATE"
	case KindTime:
		return "TIME"
	case KindTimestamp:
		return "TIMESTAMP"
	case KindTimestampTZ:
		return "TIMESTAMPTZ"
	case KindInterval:
		return "INTERVAL"
	case KindGeography:
		return "GEOGRAPHY"
	case KindJSON:
		return "JSON"
	case KindOID:
		return "OID"
	}
	return "UNKNOWN"
}

// validate reports parameters that hyperd would reject.
func (t Type) validate() error {
	switch t.Kind {
	case KindUnknown:
		return fmt.Errorf("%w: column type not set", ErrInvalidOptions)
	case KindNumeric:
		if t.Precision < 1 || t.Precision > 38 || t.Scale < 0 || t.Scale > t.Precision {
			return fmt.Errorf("%w: NUMERIC(%d,%d): precision must be 1 to 38 and scale 0 to precision", ErrInvalidOptions, t.Precision, t.Scale)
		}
	case KindVarchar, KindChar:
		if t.Length < 0 {
			return fmt.Errorf("%w: %s length %d", ErrInvalidOptions, t, t.Length)
		}
	}
	if t.Kind > KindOID {
		return fmt.Errorf("%w: unknown type kind %d", ErrInvalidOptions, t.Kind)
	}
	return nil
}

// typeFromOID maps a result column's type OID and modifier to a Type.
func typeFromOID(oid uint32, mod int32) Type {
	switch oid {
	case oidBool:
		return Bool()
	case oidSmallInt:
		return SmallInt()
	case oidInt:
		return Int()
	case oidBigInt:
		return BigInt()
	case oidReal:
		return Real()
	case oidDouble:
		return Double()
	case oidNumeric:
		if mod >= 4 {
			m := mod - 4
			return NumericType(int(m>>16), int(m&0xffff))
		}
		return NumericType(38, 0)
	case oidText:
		return Text()
	case oidVarchar:
		if mod >= 4 {
			return Varchar(int(mod - 4))
		}
		return Varchar(0)
	case oidChar:
		if mod >= 4 {
			return Char(int(mod - 4))
		}
		return Char(1)
	case oidChar1:
		return Char(1)
	case oidBytes:
		return Bytes()
	case oidDate:
		return Date()
	case oidTime:
		return Time()
	case oidTimestamp:
		return Timestamp()
	case oidTimestampTZ:
		return TimestampTZ()
	case oidInterval:
		return IntervalType()
	case oidGeography:
		return Geography()
	case oidJSON:
		return JSON()
	case oidOID:
		return OID()
	}
	return Type{}
}

// wide reports whether a NUMERIC is stored in 128 bits.
func (t Type) wide() bool { return t.Kind == KindNumeric && t.Precision > 18 }
