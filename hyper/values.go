package hyper

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

const (
	microsPerDay = 86_400_000_000
	// unixEpochJulian is the Julian day number of 1970-01-01.
	unixEpochJulian = 2_440_588
	// unixEpochMicros is 1970-01-01 00:00 in Hyper's timestamp encoding
	// (microseconds since Julian day 0).
	unixEpochMicros = unixEpochJulian * microsPerDay
)

// TimeOfDay is a TIME value: microseconds since midnight.
type TimeOfDay int64

// NewTimeOfDay returns the time of day h:m:s.micro.
func NewTimeOfDay(h, m, s, micro int) TimeOfDay {
	return TimeOfDay(((int64(h)*60+int64(m))*60+int64(s))*1_000_000 + int64(micro))
}

// Duration returns the time since midnight.
func (t TimeOfDay) Duration() time.Duration { return time.Duration(t) * time.Microsecond }

// String formats the time as HH:MM:SS[.ffffff].
func (t TimeOfDay) String() string {
	us := int64(t)
	s := fmt.Sprintf("%02d:%02d:%02d", us/3_600_000_000, us/60_000_000%60, us/1_000_000%60)
	if f := us % 1_000_000; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", f), "0")
	}
	return s
}

// Interval is an INTERVAL value. Months, days and microseconds are kept
// apart as in SQL, since a month has no fixed length.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// String formats the interval in ISO 8601 as hyperd does, for example
// "P14M-3DT5.000001S".
func (iv Interval) String() string {
	us := iv.Micros
	sign := ""
	if us < 0 {
		sign = "-"
		us = -us
	}
	sec := strconv.FormatInt(us/1_000_000, 10)
	if f := us % 1_000_000; f != 0 {
		sec += strings.TrimRight(fmt.Sprintf(".%06d", f), "0")
	}
	return fmt.Sprintf("P%dM%dDT%s%sS", iv.Months, iv.Days, sign, sec)
}

// julianFromCivil returns the Julian day number of a proleptic Gregorian date.
func julianFromCivil(y int, m time.Month, d int) int64 {
	// Days from civil (H. Hinnant), shifted to Julian day numbers.
	yy := int64(y)
	mm := int64(m)
	if mm <= 2 {
		yy--
	}
	era := yy / 400
	if yy < 0 && yy%400 != 0 {
		era = (yy - 399) / 400
	}
	yoe := yy - era*400
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + unixEpochJulian
}

// dateToJulian returns the Julian day of t's calendar date in t's location.
// It counts days from t's wall clock seconds (what julianFromCivil
// computes from t.Date(), without splitting the date).
func dateToJulian(t time.Time) int64 {
	secs := t.Unix() + zoneOffset(t)
	days := secs / 86400
	if secs%86400 < 0 {
		days--
	}
	return days + unixEpochJulian
}

// julianToTime returns midnight UTC of a Julian day.
func julianToTime(j int64) time.Time {
	return time.UnixMicro((j - unixEpochJulian) * microsPerDay).UTC()
}

// timestampMicros encodes t's wall clock (TIMESTAMP has no time zone).
func timestampMicros(t time.Time) int64 {
	return t.UnixMicro() + zoneOffset(t)*1_000_000 + unixEpochMicros
}

// zoneOffset is t's offset from UTC in seconds. UTC, the common case, is
// answered without the zone lookup (a quarter of the client's CPU when
// inserting dates and timestamps).
func zoneOffset(t time.Time) int64 {
	if t.Location() == time.UTC {
		return 0
	}
	_, off := t.Zone()
	return int64(off)
}

// timestampTZMicros encodes the instant t.
func timestampTZMicros(t time.Time) int64 { return t.UnixMicro() + unixEpochMicros }

// microsToTime decodes a timestamp to a UTC time.Time.
func microsToTime(v int64) time.Time { return time.UnixMicro(v - unixEpochMicros).UTC() }

// Numeric is a NUMERIC value: the 128-bit two's-complement integer
// (Hi, Lo) divided by 10^Scale. It holds up to 38 decimal digits exactly.
type Numeric struct {
	Hi    int64
	Lo    uint64
	Scale int
}

// NumericFromInt64 returns unscaled / 10^scale.
func NumericFromInt64(unscaled int64, scale int) Numeric {
	hi := int64(0)
	if unscaled < 0 {
		hi = -1
	}
	return Numeric{Hi: hi, Lo: uint64(unscaled), Scale: scale}
}

var (
	maxNumeric = new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil), big.NewInt(1))
	minNumeric = new(big.Int).Neg(maxNumeric)
	two64      = new(big.Int).Lsh(big.NewInt(1), 64)
)

// NumericFromBig returns unscaled / 10^scale; unscaled must have at most
// 38 digits.
func NumericFromBig(unscaled *big.Int, scale int) (Numeric, error) {
	if unscaled.Cmp(maxNumeric) > 0 || unscaled.Cmp(minNumeric) < 0 {
		return Numeric{}, fmt.Errorf("%w: NUMERIC %s has more than 38 digits", ErrWrongType, unscaled)
	}
	lo := new(big.Int).And(unscaled, new(big.Int).Sub(two64, big.NewInt(1)))
	hi := new(big.Int).Rsh(unscaled, 64)
	return Numeric{Hi: hi.Int64(), Lo: lo.Uint64(), Scale: scale}, nil
}

// ParseNumeric parses a decimal such as "-123.4500"; the scale is the
// number of digits after the point.
func ParseNumeric(s string) (Numeric, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, _ := strings.Cut(t, ".")
	digits := intPart + frac
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return Numeric{}, fmt.Errorf("%w: %q is not a decimal number", ErrWrongType, s)
	}
	b, _ := new(big.Int).SetString(digits, 10)
	if neg {
		b.Neg(b)
	}
	return NumericFromBig(b, len(frac))
}

// BigInt returns the unscaled value.
func (n Numeric) BigInt() *big.Int {
	b := new(big.Int).SetInt64(n.Hi)
	b.Lsh(b, 64)
	return b.Add(b, new(big.Int).SetUint64(n.Lo))
}

// fitsInt64 reports whether the unscaled value fits in an int64.
func (n Numeric) fitsInt64() bool {
	return (n.Hi == 0 && n.Lo <= math.MaxInt64) || (n.Hi == -1 && n.Lo > math.MaxInt64)
}

// Rescale returns the same value with another scale, failing if digits
// would be lost or more than 38 digits would be needed.
func (n Numeric) Rescale(scale int) (Numeric, error) {
	if scale == n.Scale {
		return n, nil
	}
	if n.fitsInt64() && scale > n.Scale && scale-n.Scale <= 18 {
		v := int64(n.Lo)
		p := pow10[scale-n.Scale]
		if r := v * p; r/p == v {
			return NumericFromInt64(r, scale), nil
		}
	}
	b := n.BigInt()
	if scale > n.Scale {
		b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale-n.Scale)), nil))
	} else {
		d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n.Scale-scale)), nil)
		q, r := new(big.Int).QuoRem(b, d, new(big.Int))
		if r.Sign() != 0 {
			return Numeric{}, fmt.Errorf("%w: %s does not fit scale %d without rounding", ErrWrongType, n, scale)
		}
		b = q
	}
	return NumericFromBig(b, scale)
}

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// String formats the value with exactly Scale digits after the point.
func (n Numeric) String() string {
	var s string
	if n.fitsInt64() {
		s = strconv.FormatInt(int64(n.Lo), 10)
	} else {
		s = n.BigInt().String()
	}
	if n.Scale <= 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= n.Scale {
		s = strings.Repeat("0", n.Scale-len(s)+1) + s
	}
	s = s[:len(s)-n.Scale] + "." + s[len(s)-n.Scale:]
	if neg {
		s = "-" + s
	}
	return s
}

// Float64 returns the nearest float64.
func (n Numeric) Float64() float64 {
	f, _ := strconv.ParseFloat(n.String(), 64)
	return f
}
