package amf0

import "math"

// Putting a float64 or a string into an interface costs an allocation.
// Commands and metadata repeat a few small integers (transaction ids,
// codec ids, sizes) and a few strings (command names, status codes,
// levels), so those are boxed once here and shared: an interface holding
// them is as immutable as any other.

// smallInts holds the integral numbers from 0 to 1023, boxed.
var smallInts = func() (t [1024]Value) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// smallInt returns the index of f in smallInts, or -1. Negative zero is
// left out so that its sign survives a round trip.
func smallInt(f float64) int {
	if !(f >= 0 && f < float64(len(smallInts))) {
		return -1
	}
	i := int(f)
	if float64(i) != f || math.Float64bits(f) == 1<<63 {
		return -1
	}
	return i
}

// commonStrings are string values that RTMP peers send in nearly every
// session, boxed once. Looking one up with a converted []byte allocates
// nothing.
var commonStrings = func() map[string]Value {
	m := map[string]Value{}
	for _, s := range []string{
		"connect", "createStream", "publish", "play", "play2", "deleteStream",
		"closeStream", "releaseStream", "FCPublish", "FCUnpublish", "FCSubscribe",
		"getStreamLength", "_checkbw", "_result", "_error", "onStatus", "onBWDone",
		"onFCPublish", "onFCUnpublish", "receiveAudio", "receiveVideo", "pause", "seek",
		"@setDataFrame", "onMetaData", "|RtmpSampleAccess", "live", "record", "append",
		"nonprivate", "status", "error", "warning",
		"NetConnection.Connect.Success", "NetStream.Publish.Start",
		"NetStream.Play.Start", "NetStream.Play.Reset", "NetStream.Unpublish.Success",
	} {
		m[s] = s
	}
	return m
}()
