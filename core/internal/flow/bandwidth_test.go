package flow

import (
	"testing"

	"github.com/gortmp/rtmp/codec/message"
)

// TestBandwidthRules walks Set Peer Bandwidth sequences through the limit
// types of RTMP 1.0, section 5.4.5, checking the limit in effect and the
// Window Acknowledgement Size owed after each message.
func TestBandwidthRules(t *testing.T) {
	type step struct {
		size  uint32
		limit message.LimitType
		// announced, when non-zero, is a window we send on our own first.
		announced uint32

		wantLimit uint32
		wantOwed  uint32 // 0: nothing owed
		wantKnown bool
	}
	hard, soft, dynamic := message.LimitHard, message.LimitSoft, message.LimitDynamic
	cases := []struct {
		name  string
		steps []step
	}{
		{"hard sets, then sets again", []step{
			{size: 5000, limit: hard, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{size: 9000, limit: hard, wantLimit: 9000, wantOwed: 9000, wantKnown: true},
			{size: 9000, limit: hard, wantLimit: 9000, wantKnown: true},
		}},
		{"soft sets the first limit, then only lowers", []step{
			{size: 5000, limit: soft, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{size: 8000, limit: soft, wantLimit: 5000, wantKnown: true},
			{size: 3000, limit: soft, wantLimit: 3000, wantOwed: 3000, wantKnown: true},
		}},
		{"dynamic before any limit changes nothing", []step{
			{size: 5000, limit: dynamic, wantKnown: true},
		}},
		{"dynamic after hard counts as hard", []step{
			{size: 5000, limit: hard, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{size: 7000, limit: dynamic, wantLimit: 7000, wantOwed: 7000, wantKnown: true},
		}},
		{"dynamic after soft is ignored", []step{
			{size: 5000, limit: soft, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{size: 7000, limit: dynamic, wantLimit: 5000, wantKnown: true},
		}},
		{"a window we announced meanwhile is answered", []step{
			{size: 5000, limit: soft, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{announced: 2500000, size: 7000, limit: dynamic, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
		}},
		{"a limit equal to our announced window is not answered", []step{
			{announced: 2500000, size: 2500000, limit: hard, wantLimit: 2500000, wantKnown: true},
		}},
		{"an unknown type changes nothing", []step{
			{size: 5000, limit: hard, wantLimit: 5000, wantOwed: 5000, wantKnown: true},
			{size: 1, limit: message.LimitType(7), wantLimit: 5000},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b Bandwidth
			for i, s := range c.steps {
				if s.announced != 0 {
					b.Announced(s.announced)
				}
				answer, owed, known := b.Apply(message.SetPeerBandwidth{Size: s.size, Limit: s.limit})
				var gotOwed uint32
				if owed {
					gotOwed = answer.Size
				}
				if known != s.wantKnown || gotOwed != s.wantOwed || b.Limit() != s.wantLimit {
					t.Fatalf("step %d: known %v, owed %d, limit %d; want %v, %d, %d",
						i, known, gotOwed, b.Limit(), s.wantKnown, s.wantOwed, s.wantLimit)
				}
			}
		})
	}
}
