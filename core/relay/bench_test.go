package relay

import (
	"fmt"
	"testing"
)

// BenchmarkStreamMedia measures the relay's decision for one video message
// fanned out to many players that keep up.
func BenchmarkStreamMedia(b *testing.B) {
	for _, players := range []int{1, 100} {
		b.Run(fmt.Sprintf("players=%d", players), func(b *testing.B) {
			s := NewStream(Config{})
			s.Publish(1)
			for i := range players {
				s.Play(ClientID(i + 2))
			}
			var f Fanout
			frames := [2]Media{key(0, 12000), inter(0, 12000)}
			b.ReportAllocs()
			b.SetBytes(int64(len(frames[1].Payload)))
			for i := 0; b.Loop(); i++ {
				m := frames[min(i%25, 1)]
				m.Timestamp = uint32(i * 40)
				s.Media(m, &f)
				for _, id := range f.To {
					s.Written(id, m.Cost())
				}
			}
		})
	}
}
