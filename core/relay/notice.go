package relay

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// The notices a relay sends its network clients. A player's two go in line
// with its media (a user control event on stream 0, then a status on the
// player's stream), so they arrive between the frames they belong between.

// publishNotice tells a player on stream streamID that a publisher
// started on the path: Stream Begin, then NetStream.Play.PublishNotify.
func publishNotice(p Path, streamID uint32) []message.Message {
	return []message.Message{
		{Body: message.StreamBegin{StreamID: streamID}},
		{StreamID: streamID, Body: status("NetStream.Play.PublishNotify", p.Key+" is now published.")},
	}
}

// unpublishNotice tells a player that the publisher left: Stream EOF,
// then NetStream.Play.UnpublishNotify.
func unpublishNotice(p Path, streamID uint32) []message.Message {
	return []message.Message{
		{Body: message.StreamEOF{StreamID: streamID}},
		{StreamID: streamID, Body: status("NetStream.Play.UnpublishNotify", p.Key+" is now unpublished.")},
	}
}

// takenOverNotice is what a publisher that was taken over is told:
// BadName, at level error, is what it would have been answered had it
// come second and been refused, and clients log an error status (ffmpeg
// prints "Server error: " and the description) where they pass over a
// status-level one such as NetStream.Unpublish.Success.
func takenOverNotice(p Path, streamID uint32) message.Message {
	return message.Message{StreamID: streamID, Body: message.Command{
		Name: "onStatus",
		Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "error"},
			{Key: "code", Value: "NetStream.Publish.BadName"},
			{Key: "description", Value: p.String() + " taken over by a new publisher"},
		}},
	}}
}

// status is a status-level onStatus command.
func status(code, description string) message.Command {
	return message.Command{
		Name: "onStatus",
		Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "status"},
			{Key: "code", Value: code},
			{Key: "description", Value: description},
		}},
	}
}
