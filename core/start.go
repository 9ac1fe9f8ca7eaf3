package core

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// startPublishing runs an accepted publish: NetStream.Publish.Start goes
// out only now, never before the application said yes.
func (s *state) startPublishing(fx []Effect, streamID uint32) []Effect {
	i, ok := s.findStream(streamID)
	if !ok {
		return fx
	}
	s.startIdleTimer()
	st := s.streams[i]
	st.state, st.request = streamPublishing, 0
	s.putStream(i, st)
	fx = s.onStatus(fx, st.id, "status", "NetStream.Publish.Start", st.key+" is now published.")
	if s.forgetFCPublish(st.key) {
		fx = s.send(fx, 0, message.Command{
			Name: "onFCPublish",
			Args: []amf0.Value{statusInfo("status", "NetStream.Publish.Start", st.key)},
		})
	}
	return append(fx, PublishingStarted{App: s.conn.app, StreamKey: st.key, StreamID: st.id, Type: st.publishType})
}

// startPlaying runs an accepted play with the seed's sequence: Reset (when
// asked), Stream Begin, Play.Start, |RtmpSampleAccess and, with
// Config.SendDataStart, Data.Start. Stream Begin travels on message stream 0
// as every User Control message must; its payload names the stream.
//
// Data.Start is an onStatus sent as a data message: FFmpeg turns a data
// message it does not know (anything but onMetaData, onCuePoint,
// |RtmpSampleAccess and the text and caption kinds) into a codec-less data
// stream, so ffprobe listed a third stream that was never published.
// nginx-rtmp sends only |RtmpSampleAccess, and so do we unless asked.
func (s *state) startPlaying(fx []Effect, streamID uint32) []Effect {
	i, ok := s.findStream(streamID)
	if !ok {
		return fx
	}
	st := s.streams[i]
	st.state, st.request = streamPlaying, 0
	s.putStream(i, st)
	if st.reset {
		fx = s.onStatus(fx, st.id, "status", "NetStream.Play.Reset", "Reset for stream "+st.key)
	}
	fx = s.send(fx, 0, message.StreamBegin{StreamID: st.id})
	fx = s.onStatus(fx, st.id, "status", "NetStream.Play.Start", "Starting stream "+st.key)
	// At timestamp 0 whatever the session time, as nginx-rtmp sends it:
	// FFmpeg's FLV reader skips a data message it knows only at timestamp
	// 0; a later one can become a stream of its own.
	fx = s.sendAt(fx, st.id, 0, message.Data{Values: []amf0.Value{"|RtmpSampleAccess", false, false}})
	if s.cfg.SendDataStart {
		fx = s.sendAt(fx, st.id, 0, message.Data{Values: []amf0.Value{"onStatus", amf0.Object{{Key: "code", Value: "NetStream.Data.Start"}}}})
	}
	return append(fx, PlayStreamStarted{App: s.conn.app, StreamKey: st.key, StreamID: st.id})
}
