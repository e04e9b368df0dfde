package hyper

import "testing"

func TestParseCallbackMessage(t *testing.T) {
	good := map[string]Endpoint{
		"\x1atab.tcp://127.0.0.1:34515\x00":                  {Network: "tcp", Host: "127.0.0.1", Port: 34515},
		"\x29tab.domain:///tmp/x/domain/.s.PGSQL.9990\x00":   {Network: "unix", Host: "/tmp/x", Port: 9990},
		"\x12tab.tcp://[::1]:80\x00":                         {Network: "tcp", Host: "::1", Port: 80},
		"\x2btab.domain:///a/domain/b/domain/.s.PGSQL.7\x00": {Network: "unix", Host: "/a/domain/b", Port: 7},
	}
	for msg, want := range good {
		ep, err := ParseCallbackMessage([]byte(msg))
		if err != nil {
			t.Errorf("%q: %v", msg, err)
			continue
		}
		ep.Descriptor = ""
		if ep != want {
			t.Errorf("%q: %+v, want %+v", msg, ep, want)
		}
	}
	for _, msg := range []string{"", "\x30tab.tcp://127.0.0.1:1", "\x10tab.tcp://h:0\x00\x00\x00\x00", "\x0ctab.tcp://:1",
		"\x1ftab.domain://rel/domain/.s.PGSQL.1", "\x1ftab.domain:///x/domain/sock.1\x00", "\x0bhttp://a:1\x00"} {
		if ep, err := ParseCallbackMessage([]byte(msg)); err == nil {
			t.Errorf("%q accepted as %+v", msg, ep)
		}
	}
}
