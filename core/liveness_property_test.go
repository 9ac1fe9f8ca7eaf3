package core_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

// pingModel is the ping timeout written plainly: the oldest ping request
// that nothing from the peer has followed yet.
type pingModel struct {
	unanswered bool
	sentAt     time.Duration
}

func (m *pingModel) heard() { m.unanswered = false }

func (m *pingModel) pinged(now time.Duration) {
	if !m.unanswered {
		m.unanswered, m.sentAt = true, now
	}
}

// signsOfLife are messages a publisher may send that change nothing but
// the session's idea of whether it is alive: media on its stream (the fast
// path), controls, data, a harmless command.
var signsOfLife = []core.Input{
	recv(0, 1, avcFrame),
	recv(0, 1, aacFrame),
	recv(0, 3, avcFrame), // a stream that does not exist
	recv(0, 0, message.PingResponse{Timestamp: 1}),
	recv(0, 0, message.PingRequest{Timestamp: 7}),
	recv(0, 0, message.Acknowledgement{SequenceNumber: 1}),
	recv(0, 0, message.SetBufferLength{StreamID: 1, Milliseconds: 100}),
	recv(0, 0, message.Unknown{TypeID: 77}),
	data(1, "onCuePoint", "x"),
	call(0, "getStreamLength", 0, nil, "demo"),
}

// TestLivenessProperty: for random scripts of ticks, messages and byte
// reports, a peer that sends something between every ping request and its
// timeout is never closed, and a peer silent from a ping request on is
// closed with PingTimeoutError at the first Tick at or past the request
// plus the timeout, never before. While a ping is unanswered the deadline
// announced by WakeAt is never later than its timeout.
func TestLivenessProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		interval := time.Duration(rapid.IntRange(1, 20_000).Draw(t, "interval")) * ms
		timeout := time.Duration(rapid.IntRange(1, 20_000).Draw(t, "timeout")) * ms
		s := core.NewSession(core.Config{PingInterval: interval, PingTimeout: timeout, PublishIdleTimeout: -1})
		var (
			m        pingModel
			now      time.Duration
			wake     = core.Never
			received uint64
			closed   bool
		)
		// step applies in, which is a sign of life or not, and checks the
		// session against the model.
		step := func(in core.Input, life bool) {
			if life {
				m.heard()
			}
			var fx []core.Effect
			s, fx = s.Step(in)
			tick, isTick := in.(core.Tick)
			if isTick {
				now = max(now, tick.Now)
			}
			due := isTick && m.unanswered && now >= m.sentAt+timeout
			var err error
			for _, e := range fx {
				switch e := e.(type) {
				case core.PingRequestSent:
					m.pinged(now)
				case core.WakeAt:
					wake = e.At
				case core.Disconnect:
					closed, err = true, e.Err
				}
			}
			switch {
			case due && !errors.Is(err, core.PingTimeoutError{Timeout: timeout}):
				t.Fatalf("at %v, a ping sent at %v with nothing since did not time out (err %v):\n%s", now, m.sentAt, err, describeAll(fx))
			case !due && closed:
				t.Fatalf("at %v, %s closed the session (err %v); ping unanswered %v since %v", now, core.DescribeInput(in), err, m.unanswered, m.sentAt)
			case m.unanswered && wake > m.sentAt+timeout:
				t.Fatalf("ping sent at %v times out at %v, but the session asks to wake at %v", m.sentAt, m.sentAt+timeout, wake)
			}
		}
		for _, in := range publisherInputs() {
			step(in, true)
		}

		n := rapid.IntRange(0, 80).Draw(t, "steps")
		silentFrom := rapid.IntRange(0, n+1).Draw(t, "silentFrom")
		for i := 0; i < n && !closed; i++ {
			silent := i >= silentFrom
			switch rapid.IntRange(0, 4).Draw(t, "kind") {
			case 0, 1:
				next := now + time.Duration(rapid.IntRange(0, int(interval+timeout)/int(ms)).Draw(t, "dt"))*ms
				if !silent && m.unanswered && next >= m.sentAt+timeout {
					// An alive peer sends before the deadline.
					step(rapid.SampledFrom(signsOfLife).Draw(t, "life"), true)
				}
				step(core.Tick{Now: next}, false)
			case 2:
				if silent {
					// The same totals again: no byte arrived.
					step(core.BytesCounted{Received: received, Sent: 1}, false)
					continue
				}
				received += rapid.Uint64Range(1, 100_000).Draw(t, "bytes")
				step(core.BytesCounted{Received: received, Sent: 1}, true)
			case 3:
				step(core.SendPing{}, false)
			default:
				if silent {
					continue
				}
				step(rapid.SampledFrom(signsOfLife).Draw(t, "life"), true)
			}
		}
		if silentFrom > n || closed {
			return
		}
		// Silent to the end: ticks until the close, which step checks
		// comes exactly at the first Tick past the oldest unanswered ping.
		for range 1000 {
			if closed {
				return
			}
			step(core.Tick{Now: now + time.Duration(rapid.IntRange(1, int(interval+timeout)/int(ms)).Draw(t, "silentDt"))*ms}, false)
		}
		t.Fatalf("a silent peer was never closed: now %v, ping unanswered %v since %v", now, m.unanswered, m.sentAt)
	})
}
