package relay

import (
	"fmt"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
)

// BenchmarkStreamMediaViews measures the fan-out of a two-track stream to
// players spread over the three views: each message is cut to track 0
// once per view that needs it, whatever the number of players.
func BenchmarkStreamMediaViews(b *testing.B) {
	frame := func(ft flv.VideoFrameType) Media {
		return video(0, flv.AppendVideoMultitrack(nil, ft, flv.VideoCodedFrames, []flv.VideoTrack{
			{ID: 0, FourCC: flv.FourCCHEVC, Data: make([]byte, 12000)},
			{ID: 1, FourCC: flv.FourCCAV1, Data: make([]byte, 6000)},
		}))
	}
	for _, players := range []int{3, 99} {
		b.Run(fmt.Sprintf("players=%d", players), func(b *testing.B) {
			s := NewStream(Config{})
			s.Publish(1)
			for i := range players {
				s.PlayView(ClientID(i+2), View(i%NumViews))
			}
			var f Fanout
			frames := [2]Media{frame(flv.FrameKey), frame(flv.FrameInter)}
			b.ReportAllocs()
			b.SetBytes(int64(len(frames[1].Payload)))
			for i := 0; b.Loop(); i++ {
				m := frames[min(i%25, 1)]
				m.Timestamp = uint32(i * 40)
				s.Media(m, &f)
				for j, id := range f.To {
					s.Written(id, f.Payload(f.Views[j]).Cost())
				}
			}
		})
	}
}
