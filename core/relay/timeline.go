package relay

// timeline keeps the timestamps a stream hands its players going forward
// when one publisher follows another on the path.
//
// A publisher's timestamps pass with a constant offset, so the spacing
// of its messages (audio against video included) is kept exactly. The
// first publisher of a stream gets offset 0: players see its own
// timestamps, as they would from any server. A later publisher usually
// starts again near 0; its offset is chosen so that its first message
// lands 1 ms after the latest timestamp the stream ever sent. Players that
// stayed on the path (they got Stream EOF, then Stream Begin) therefore
// see the clock continue instead of jumping back, which is what players
// that do not reset on Stream Begin need, and costs nothing to those
// that do. Arithmetic is modulo 2^32, as RTMP timestamps wrap.
type timeline struct {
	// offset is added to the current publisher's timestamps once
	// anchored, that is once its first message fixed it.
	offset   uint32
	anchored bool
	// latest is the latest timestamp handed out, in serial order, and
	// sent whether there is one yet.
	latest uint32
	sent   bool
}

// restart forgets the current publisher's offset: the next message
// anchors a new one.
func (t *timeline) restart() { t.anchored = false }

// rebase maps one timestamp of the current publisher to the stream's.
func (t *timeline) rebase(ts uint32) uint32 {
	if !t.anchored {
		t.anchored, t.offset = true, 0
		if t.sent {
			t.offset = t.latest + 1 - ts
		}
	}
	out := ts + t.offset
	if !t.sent || int32(out-t.latest) > 0 {
		t.latest, t.sent = out, true
	}
	return out
}
