package hyper

import (
	"testing"
)

// FuzzDecodeValue feeds arbitrary bytes to the HyperBinary decoder for
// every type: it must return a value or an error, never panic.
func FuzzDecodeValue(f *testing.F) {
	f.Add(uint8(KindInt), []byte{2, 0, 0, 0})
	f.Add(uint8(KindNumeric), []byte("\x00\x2a\xee\x81\xfc\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"))
	f.Add(uint8(KindInterval), []byte("\xc0\xc6\x2d\x00\x00\x00\x00\x00\x02\x00\x00\x00\x0c\x00\x00\x00"))
	f.Add(uint8(KindTimestamp), []byte("\xff\xff\xff\xff\xff\xff\xff\x7f"))
	f.Add(uint8(KindDate), []byte("\xff\xff\xff\xff"))
	f.Add(uint8(KindText), []byte("h\xffllo"))
	f.Add(uint8(KindBool), []byte{2})
	f.Fuzz(func(t *testing.T, kind uint8, b []byte) {
		ty := Type{Kind: Kind(kind % uint8(KindOID+2))}
		if ty.Kind == KindNumeric {
			ty.Precision, ty.Scale = 38, int(kind%39)
			if len(b) == 8 {
				ty.Precision = 18
				ty.Scale %= 19
			}
		}
		v, err := DecodeValue(ty, b)
		if err == nil && v == nil && b != nil {
			t.Fatalf("nil value without error for %s %x", ty, b)
		}
		if n, ok := v.(Numeric); ok {
			_ = n.String()
		}
		// Scanning into any must agree with DecodeValue.
		var dst any
		if err2 := scanValue(ty, b, &dst); (err2 == nil) != (err == nil) {
			t.Fatalf("scan and decode disagree: %v vs %v", err2, err)
		}
	})
}

// FuzzParseCallbackMessage feeds arbitrary callback messages to the parser:
// it returns an endpoint or an error, never panics, and what it accepts
// is well-formed.
func FuzzParseCallbackMessage(f *testing.F) {
	f.Add([]byte("\x1atab.tcp://127.0.0.1:34515\x00"))
	f.Add([]byte("4tab.domain:///tmp/hx4004658639/domain/.s.PGSQL.9990\x00"))
	f.Add([]byte("\x05tab.d"))
	f.Add([]byte{})
	f.Add([]byte("\x10tab.tcp://[::1]:1\x00"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		ep, err := ParseCallbackMessage(msg)
		if err != nil {
			return
		}
		if ep.Port <= 0 || ep.Port > 65535 || ep.Host == "" {
			t.Fatalf("accepted bad endpoint %+v from %q", ep, msg)
		}
		if ep.Network != "tcp" && ep.Network != "unix" {
			t.Fatalf("network %q", ep.Network)
		}
		_ = ep.connString("x")
	})
}
