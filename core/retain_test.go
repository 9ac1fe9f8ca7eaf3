package core_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/core"
)

// within reports whether s's bytes lie in backing's memory.
func within(s, backing string) bool {
	if s == "" {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	b := uintptr(unsafe.Pointer(unsafe.StringData(backing)))
	return p >= b && p < b+uintptr(len(backing))
}

// The strings a session keeps for its life (the app, stream keys, the
// client's codec lists) are copies: a string of a decoded message would
// keep all of that message's memory alive with the connection.
func TestSessionKeepsNoStringOfAMessage(t *testing.T) {
	// One backing store, as a decoder's arena, that every string of the
	// messages below points into.
	backing := strings.Repeat("x", 64) + "live|demo|show|hvc1|av01"
	word := func(w string) string {
		i := strings.Index(backing, w)
		return backing[i : i+len(w)]
	}
	app, publishKey, playKey := word("live"), word("demo"), word("show")

	s := core.NewSession(core.Config{})
	var fx []core.Effect
	step := func(in core.Input) {
		t.Helper()
		s, fx = s.Step(in)
	}
	step(call(0, "connect", 1, obj("app", app, "tcUrl", "rtmp://h/live",
		"fourCcList", amf0.StrictArray{word("hvc1"), word("av01")},
		"videoFourCcInfoMap", amf0.ECMAArray{{Key: word("hvc1"), Value: 1.0}})))
	step(core.Accept{Request: 1})
	caps := s.ClientCapabilities()
	for _, c := range append(caps.FourCCList, caps.VideoFourCCs[0].FourCC) {
		if within(c, backing) {
			t.Errorf("the client's codec %q is kept in the connect message's memory", c)
		}
	}

	step(call(0, "createStream", 2, nil))
	step(call(1, "publish", 0, nil, publishKey, "live"))
	var pub core.PublishStreamRequested
	for _, e := range fx {
		if e, ok := e.(core.PublishStreamRequested); ok {
			pub = e
		}
	}
	if pub.StreamKey != "demo" || pub.App != "live" {
		t.Fatalf("publish request %+v, want live/demo", pub)
	}
	if within(pub.App, backing) || within(pub.StreamKey, backing) {
		t.Errorf("the session keeps app %q or key %q in the messages' memory", pub.App, pub.StreamKey)
	}

	step(call(0, "createStream", 3, nil))
	step(call(2, "play", 0, nil, playKey))
	var play core.PlayStreamRequested
	for _, e := range fx {
		if e, ok := e.(core.PlayStreamRequested); ok {
			play = e
		}
	}
	if play.StreamKey != "show" || within(play.StreamKey, backing) {
		t.Errorf("play key %q: want show, kept outside the message's memory", play.StreamKey)
	}
}
