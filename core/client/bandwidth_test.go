package client_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// Set Peer Bandwidth by its limit type (RTMP 1.0, 5.4.5): hard sets the
// limit, soft lowers it, and dynamic counts as hard only right after a hard
// limit; otherwise it is ignored. A Window Acknowledgement Size answers only
// a limit that changed from the window last sent.
func TestSetPeerBandwidthLimitTypes(t *testing.T) {
	spb := func(size uint32, limit message.LimitType) client.Input {
		return recv(0, message.SetPeerBandwidth{Size: size, Limit: limit})
	}
	for _, tc := range []struct {
		name    string
		inputs  []client.Input
		windows []uint32 // Window Acknowledgement Sizes sent, in order
	}{
		{"dynamic first is ignored", []client.Input{spb(5000, message.LimitDynamic)}, nil},
		{"dynamic after soft is ignored", []client.Input{spb(5000, message.LimitSoft), spb(9000, message.LimitDynamic)}, []uint32{5000}},
		{"dynamic after hard counts as hard", []client.Input{spb(5000, message.LimitHard), spb(9000, message.LimitDynamic)}, []uint32{5000, 9000}},
		{"dynamic after dynamic-as-hard stays hard", []client.Input{spb(5000, message.LimitHard), spb(9000, message.LimitDynamic), spb(7000, message.LimitDynamic)}, []uint32{5000, 9000, 7000}},
		{"soft keeps the smaller limit", []client.Input{spb(5000, message.LimitHard), spb(9000, message.LimitSoft), spb(3000, message.LimitSoft)}, []uint32{5000, 3000}},
		{"hard raises the limit", []client.Input{spb(5000, message.LimitSoft), spb(9000, message.LimitHard)}, []uint32{5000, 9000}},
		{"same window is not repeated", []client.Input{spb(5000, message.LimitHard), spb(5000, message.LimitHard)}, []uint32{5000}},
		{"unknown limit type is ignored", []client.Input{spb(5000, message.LimitType(7))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := steps(client.New(client.Config{}), connectInput())
			_, fx := steps(s, tc.inputs...)
			var got []uint32
			for _, send := range only[client.Send](fx) {
				if w, ok := send.Message.Body.(message.WindowAckSize); ok {
					got = append(got, w.Size)
				}
			}
			if diff := cmp.Diff(tc.windows, got); diff != "" {
				t.Errorf("Window Acknowledgement Sizes (-want +got):\n%s", diff)
			}
			if n := len(only[client.PeerBandwidthSet](fx)); n != len(tc.inputs) {
				t.Errorf("%d PeerBandwidthSet events for %d messages", n, len(tc.inputs))
			}
		})
	}
}
