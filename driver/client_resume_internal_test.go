package driver

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"pgregory.net/rapid"
)

// resumeWrite is one write of the resume property: a video payload and
// whether the connection had no server to write to when it was made.
type resumeWrite struct {
	payload []byte
	gap     bool
}

// resumeWrites draws a publication's writes: AVC keyframes, inter frames
// and sequence starts of random sizes, runs of them during gaps.
func resumeWrites(t *rapid.T) []resumeWrite {
	out := make([]resumeWrite, rapid.IntRange(1, 60).Draw(t, "writes"))
	gap := false
	for i := range out {
		if rapid.IntRange(0, 9).Draw(t, "toggle gap") == 0 {
			gap = !gap
		}
		frame := rapid.SampledFrom([]byte{0x17, 0x27, 0x27, 0x27}).Draw(t, "frame type")
		packet := byte(1)
		if frame == 0x17 && rapid.IntRange(0, 4).Draw(t, "sequence start") == 0 {
			packet = 0
		}
		p := append([]byte{frame, packet, 0, 0, 0}, rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "data")...)
		out[i] = resumeWrite{payload: p, gap: gap}
	}
	return out
}

// sent is a video message as a new server would get it.
type sent struct {
	Timestamp uint32
	Payload   []byte
}

// What a publication keeps to resume its stream on a new server is the
// run of its writes from the last keyframe it wrote while it had a server
// (or from its first write), through every write since, gaps included,
// copied from the caller's buffers, behind the decoder configuration in
// effect where the run starts. A run over the bound is dropped until the
// next keyframe, and a keyframe written in a gap starts a new run only
// then: the new server gets a run without a hole, or the replay alone.
func TestResumeKeepsARunWithoutAHole(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		writes := resumeWrites(t)
		limit := rapid.IntRange(5, 400).Draw(t, "limit")
		p := &Publication{}
		p.resume.limit = limit
		orig := make([][]byte, len(writes))
		for i, w := range writes {
			orig[i] = bytes.Clone(w.payload)
			in := client.SendMessage{Timestamp: uint32(i), Body: message.Video{Payload: w.payload}}
			p.resume.keep(p, in, w.gap)
			p.replay.note(in)
		}
		for _, w := range writes {
			clear(w.payload) // the caller reuses its buffers
		}
		var got []sent
		for _, in := range p.resume.take(p, 7, false) {
			m := in.(client.SendMessage)
			if m.StreamID != 7 {
				t.Fatalf("stream id %d, want 7", m.StreamID)
			}
			got = append(got, sent{m.Timestamp, m.Body.(message.Video).Payload})
		}

		// Where the run starts, and whether it is over the bound.
		begin, size, over := 0, 0, false
		for i, w := range writes {
			if orig[i][0] == 0x17 && (!w.gap || over) {
				begin, size, over = i, 0, false
			}
			if !over {
				size += len(orig[i])
				over = size > limit
			}
		}
		// The decoder configuration in effect at begin (the replay), or
		// now when nothing is kept.
		end := begin
		if over {
			end = len(writes)
		}
		var want []sent
		for i := end - 1; i >= 0; i-- {
			if orig[i][0] == 0x17 && orig[i][1] == 0 {
				want = append(want, sent{uint32(i), orig[i]})
				break
			}
		}
		if !over {
			for i := begin; i < len(writes); i++ {
				want = append(want, sent{uint32(i), orig[i]})
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("run from write %d (over the bound: %v), limit %d (-want +got):\n%s", begin, over, limit, diff)
		}
	})
}

// At a keyframe boundary the new server needs the replay alone: the
// keyframe that follows starts the stream.
func TestResumeAtBoundaryIsTheReplay(t *testing.T) {
	p := &Publication{}
	for i, b := range [][]byte{{0x17, 0, 0, 0, 0, 'H'}, {0x17, 1, 0, 0, 0, 'K'}, {0x27, 1, 0, 0, 0, 'P'}} {
		in := client.SendMessage{Timestamp: uint32(i), Body: message.Video{Payload: b}}
		p.resume.keep(p, in, false)
		p.replay.note(in)
	}
	got := p.resume.take(p, 3, true)
	want := []client.Input{client.SendMessage{StreamID: 3, Body: message.Video{Payload: []byte{0x17, 0, 0, 0, 0, 'H'}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
