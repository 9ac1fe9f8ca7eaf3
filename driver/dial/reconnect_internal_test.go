package dial

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
)

// A reconnect request's tcUrl may be absolute, relative to the scheme or
// to the host, or absent; the stream key of the URL stays.
func TestReconnectTarget(t *testing.T) {
	cur, err := ParseURL("rtmp://old.example:1936/live/key?token=1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ tcURL, addr, app, wantTCURL string }{
		{"", "old.example:1936", "live", "rtmp://old.example:1936/live"},
		{"rtmp://new.example/app2", "new.example:1935", "app2", "rtmp://new.example:1935/app2"},
		{"//192.0.2.1:1940/live", "192.0.2.1:1940", "live", "rtmp://192.0.2.1:1940/live"},
		{"/other", "old.example:1936", "other", "rtmp://old.example:1936/other"},
		{"rtmp://new.example/app/instance", "new.example:1935", "app/instance", "rtmp://new.example:1935/app/instance"},
	} {
		got, err := reconnectTarget(cur, tc.tcURL)
		if err != nil {
			t.Errorf("%q: %v", tc.tcURL, err)
			continue
		}
		if got.Addr != tc.addr || got.App != tc.app || got.TCURL != tc.wantTCURL || got.Key != "key?token=1" {
			t.Errorf("%q: got %+v", tc.tcURL, got)
		}
	}
	if _, err := reconnectTarget(cur, "http://elsewhere/app"); err == nil {
		t.Error("an http tcUrl was accepted")
	}
}

// The default policy sends ConnectExtra as it is and follows only what it
// declares; ReconnectFollow declares capsEx Reconnect, keeping other bits.
func TestConnectExtraReconnect(t *testing.T) {
	multitrack := amf0.Object{{Key: "capsEx", Value: 2.0}}
	for _, tc := range []struct {
		name    string
		cfg     Config
		want    amf0.Object
		follows bool
	}{
		{"legacy", Config{}, nil, false},
		{"declared", Config{ConnectExtra: amf0.Object{{Key: "capsEx", Value: 3.0}}}, amf0.Object{{Key: "capsEx", Value: 3.0}}, true},
		{"other caps", Config{ConnectExtra: multitrack}, multitrack, false},
		{"follow adds", Config{Reconnect: ReconnectFollow}, amf0.Object{{Key: "capsEx", Value: 1.0}}, true},
		{"follow ors", Config{Reconnect: ReconnectFollow, ConnectExtra: multitrack}, amf0.Object{{Key: "capsEx", Value: 3.0}}, true},
		{"report only", Config{Reconnect: ReconnectReportOnly, ConnectExtra: amf0.Object{{Key: "capsEx", Value: 1.0}}}, amf0.Object{{Key: "capsEx", Value: 1.0}}, false},
	} {
		if diff := cmp.Diff(tc.want, tc.cfg.connectExtra()); diff != "" {
			t.Errorf("%s: connect extra (-want +got):\n%s", tc.name, diff)
		}
		if got := tc.cfg.follows(); got != tc.follows {
			t.Errorf("%s: follows %v", tc.name, got)
		}
	}
	if multitrack[0].Value != 2.0 {
		t.Error("ConnectExtra was modified in place")
	}
}
