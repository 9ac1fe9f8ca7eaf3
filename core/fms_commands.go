package core

import (
	"slices"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// The FMS-era calls that encoders and CDN players make around publish and
// play. Each raises its event first, then answers _result with the
// client's transaction id.

// keyArg is the stream key argument of these calls, query removed.
func keyArg(cmd message.Command) string {
	name, _ := stringArg(cmd.Args, 0)
	key, _ := splitQuery(name)
	return key
}

func (s *state) releaseStream(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	fx = append(fx, ReleaseStreamRequested{App: s.conn.app, StreamKey: keyArg(cmd)})
	return s.result(fx, streamID, cmd.TransactionID)
}

// fcPublish remembers the key: onFCPublish (which carries the code
// NetStream.Publish.Start) is sent only once the publish is accepted, since
// encoders treat a refusal after a start as a reason to reconnect.
func (s *state) fcPublish(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	key := keyArg(cmd)
	fx = append(fx, FCPublishRequested{App: s.conn.app, StreamKey: key})
	if !slices.Contains(s.fcPublished, key) {
		keys := slices.Clip(s.fcPublished)
		if len(keys) >= s.cfg.MaxPendingRequests {
			keys = keys[1:]
		}
		s.fcPublished = append(keys, key)
	}
	return s.result(fx, streamID, cmd.TransactionID)
}

// fcUnpublish ends the publishing stream with that key, if any.
func (s *state) fcUnpublish(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	key := keyArg(cmd)
	fx = append(fx, FCUnpublishRequested{App: s.conn.app, StreamKey: key})
	s.forgetFCPublish(key)
	for i, st := range s.streams {
		if st.state == streamPublishing && st.key == key {
			fx = s.resetStream(fx, i)
			break
		}
	}
	fx = s.result(fx, streamID, cmd.TransactionID)
	return s.send(fx, 0, message.Command{
		Name: "onFCUnpublish",
		Args: []amf0.Value{statusInfo("status", "NetStream.Unpublish.Success", key)},
	})
}

// forgetFCPublish drops key from the announced keys, reporting whether it
// was there.
func (s *state) forgetFCPublish(key string) bool {
	i := slices.Index(s.fcPublished, key)
	if i < 0 {
		return false
	}
	s.fcPublished = slices.Delete(slices.Clone(s.fcPublished), i, i+1)
	return true
}

func (s *state) fcSubscribe(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	fx = append(fx, FCSubscribeRequested{App: s.conn.app, StreamKey: keyArg(cmd)})
	return s.result(fx, streamID, cmd.TransactionID)
}

func (s *state) fcUnsubscribe(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	fx = append(fx, FCUnsubscribeRequested{App: s.conn.app, StreamKey: keyArg(cmd)})
	return s.result(fx, streamID, cmd.TransactionID)
}

// getStreamLength answers 0, the length of a live stream.
func (s *state) getStreamLength(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	fx = append(fx, StreamLengthRequested{App: s.conn.app, StreamKey: keyArg(cmd)})
	return s.result(fx, streamID, cmd.TransactionID, 0.0)
}

// checkBandwidth answers _checkbw (librtmp and FFmpeg send it after
// onBWDone) with an empty _result so the call completes; there is nothing
// to measure. Both clients ignore the answer, as they do nginx-rtmp's
// silence. Sent before the connect is accepted, it waits for the Accept
// (deferred_commands.go) like any command.
func (s *state) checkBandwidth(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	return s.result(fx, streamID, cmd.TransactionID)
}
