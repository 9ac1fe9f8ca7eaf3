package sendq

import (
	"sync"
	"syscall"

	"github.com/gortmp/rtmp/codec/chunk"
)

// maxGatherChunks bounds the chunks of a message written from its
// payload: two buffers each (a header and a piece of payload), well
// within one writev. Longer messages (a keyframe at a small chunk size)
// are framed into one buffer instead.
const maxGatherChunks = 64

// Gather is one media message given as its parts: the bytes a framed copy
// would hold are the first chunk's header, then Payload cut every Size
// bytes with the next chunks' header before each piece after the first
// (RTMP's chunks). A stream with one player writes its messages this way,
// from the publisher's payload, without a framed copy that nobody else
// would read. The headers are kept in the value (see SetHeaders), so that
// a Gather on its maker's stack stays there: only the payload, which
// lives on anyway, is pointed to while it is written.
type Gather struct {
	Payload []byte
	Size    int

	headers     [chunk.MaxSharedHeaders]byte
	first, cont int
}

// SetHeaders copies the first chunk's header and the next chunks' into g;
// together they must fit in chunk.MaxSharedHeaders bytes, or SetHeaders
// reports false.
func (g *Gather) SetHeaders(first, cont []byte) bool {
	if len(first)+len(cont) > len(g.headers) {
		return false
	}
	g.first = copy(g.headers[:], first)
	g.cont = copy(g.headers[g.first:], cont)
	return true
}

// First is the first chunk's header, Cont the next chunks'.
func (g *Gather) First() []byte { return g.headers[:g.first] }
func (g *Gather) Cont() []byte  { return g.headers[g.first : g.first+g.cont] }

// Len is how many bytes g stands for.
func (g *Gather) Len() int {
	pieces := max(1, (len(g.Payload)+g.Size-1)/g.Size)
	return g.first + len(g.Payload) + (pieces-1)*g.cont
}

// fits reports whether g may be written from its parts in one writev.
func (g *Gather) fits() bool {
	return g.Size > 0 && len(g.Payload) <= maxGatherChunks*g.Size
}

// GatherResult is what PushMediaGathered did.
type GatherResult int

const (
	// GatherNotTried: the queue could not take media directly (something
	// is queued or being written, or it merges, encrypts or cannot write
	// to its socket directly); push the framed message instead.
	GatherNotTried GatherResult = iota
	// GatherStale: the chunk size in effect at the end of the queue is
	// another; frame the message again at the current one.
	GatherStale
	// GatherRefused: the queue is closing or over its bound.
	GatherRefused
	// GatherWritten: the socket took all of it.
	GatherWritten
	// GatherPartly: the socket took some of it (maybe none), and the
	// caller must hand the rest to PushRest before anything else can be
	// written.
	GatherPartly
)

// PushMediaGathered writes a media message from its parts when the queue
// would write it directly (see PushMediaAt), in one writev, and reports
// what happened and how many bytes the socket took. On GatherPartly the
// queue stays busy until PushRest.
func (q *Queue) PushMediaGathered(g *Gather, chunkSize uint32) (GatherResult, int) {
	q.mu.Lock()
	switch {
	case chunkSize != q.chunkSize:
		q.mu.Unlock()
		return GatherStale, 0
	case q.closing || q.bytes+g.Len() > q.limit:
		q.mu.Unlock()
		return GatherRefused, 0
	case q.direct == nil || q.merge != nil || q.seal != nil || len(q.items) > 0 || q.busy || q.held || !g.fits():
		q.mu.Unlock()
		return GatherNotTried, 0
	}
	q.busy = true
	q.mu.Unlock()
	n := q.direct.writeGather(g)
	if n > 0 {
		q.sent(n)
	}
	if n == g.Len() {
		q.directDone()
		return GatherWritten, n
	}
	return GatherPartly, n
}

// PushRest queues what the socket did not take of a message that
// PushMediaGathered wrote partly (its framed bytes from where the write
// stopped) ahead of anything queued meanwhile, and ends the direct write.
func (q *Queue) PushRest(rest []byte, cost int, ack func(int)) {
	q.mu.Lock()
	q.busy = false
	q.items = append(q.items, item{})
	copy(q.items[1:], q.items)
	q.items[0] = item{b: rest, ack: ack, cost: cost}
	q.bytes += len(rest)
	q.urgent = true
	q.mu.Unlock()
	q.signal()
}

// gatherIovecs are writeGather's buffers, shared by all connections
// rather than kept by each (a thousand idle players would keep 2 KiB
// each).
var gatherIovecs = sync.Pool{New: func() any { return new([2*maxGatherChunks + 1]syscall.Iovec) }}

// writeGather writes g in one writev and returns how many bytes the
// socket took (see write). The headers are copied into d's own bytes
// first (one write is in flight per connection), so that g is not
// pointed to.
func (d *directWriter) writeGather(g *Gather) int {
	hdr := d.headers[:copy(d.headers[:], g.headers[:g.first+g.cont])]
	first, cont := hdr[:g.first], hdr[g.first:]
	arr := gatherIovecs.Get().(*[2*maxGatherChunks + 1]syscall.Iovec)
	iov := arr[:0]
	iov = appendIovec(iov, first)
	for i := 0; i < len(g.Payload); i += g.Size {
		if i > 0 {
			iov = appendIovec(iov, cont)
		}
		iov = appendIovec(iov, g.Payload[i:min(i+g.Size, len(g.Payload))])
	}
	n := d.writev(iov)
	clear(iov)
	gatherIovecs.Put(arr)
	return n
}

func appendIovec(iov []syscall.Iovec, b []byte) []syscall.Iovec {
	if len(b) == 0 {
		return iov
	}
	v := syscall.Iovec{Base: &b[0]}
	v.SetLen(len(b))
	return append(iov, v)
}
