package driver

import (
	"slices"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// replay is what a new server needs before a publication's next frame
// when a reconnect moves it there: the last metadata and the decoder
// configuration in effect, which the publisher sent to the old server
// only. It keeps the latest of each kind per track; a sequence end
// forgets its track. Payloads are copied: callers may reuse their buffers.
type replay struct {
	metaData *client.SendMetaData
	headers  []replayHeader
	// video says video was published, so a switch waits for a keyframe.
	video bool
}

type replayHeader struct {
	video bool
	track uint8
	kind  flv.Kind
	msg   client.SendMessage
}

func (r *replay) noteMetaData(m client.SendMetaData) {
	m.MetaData = slices.Clone(m.MetaData)
	r.metaData = &m
}

func (r *replay) note(m client.SendMessage) {
	var (
		video   bool
		payload []byte
		info    struct {
			kind  flv.Kind
			track uint8
		}
	)
	switch b := m.Body.(type) {
	case message.Video:
		r.video, video, payload = true, true, b.Payload
		v, err := flv.ClassifyVideo(b.Payload)
		if err != nil {
			return
		}
		info.kind, info.track = v.Kind, v.TrackID
	case message.Audio:
		payload = b.Payload
		a, err := flv.ClassifyAudio(b.Payload)
		if err != nil {
			return
		}
		info.kind, info.track = a.Kind, a.TrackID
	default:
		return
	}
	switch info.kind {
	case flv.KindSequenceStart, flv.KindChannelConfig, flv.KindMetadata:
		m.Body = copyMedia(video, payload)
		h := replayHeader{video: video, track: info.track, kind: info.kind, msg: m}
		for i, old := range r.headers {
			if old.video == video && old.track == info.track && old.kind == info.kind {
				r.headers[i] = h
				return
			}
		}
		r.headers = append(r.headers, h)
	case flv.KindSequenceEnd:
		r.headers = slices.DeleteFunc(r.headers, func(h replayHeader) bool {
			return h.video == video && h.track == info.track
		})
	}
}

func copyMedia(video bool, payload []byte) message.Body {
	p := slices.Clone(payload)
	if video {
		return message.Video{Payload: p}
	}
	return message.Audio{Payload: p}
}

// appendInputs appends the messages that bring a new server's stream id
// up to date, in the order they were first sent: metadata first.
func (r *replay) appendInputs(out []client.Input, streamID uint32) []client.Input {
	if r.metaData != nil {
		md := *r.metaData
		md.StreamID = streamID
		out = append(out, md)
	}
	for _, h := range r.headers {
		m := h.msg
		m.StreamID = streamID
		out = append(out, m)
	}
	return out
}

// startsOver reports whether in begins a point a new server's players can
// start from: a video keyframe or sequence start, or any audio of a
// publication without video.
func startsOver(p *Publication, in client.Input) bool {
	m, ok := in.(client.SendMessage)
	if !ok {
		return false
	}
	switch b := m.Body.(type) {
	case message.Video:
		info, err := flv.ClassifyVideo(b.Payload)
		return err == nil && (info.Kind == flv.KindKeyframe || info.Kind == flv.KindSequenceStart)
	case message.Audio:
		return !p.replay.video
	}
	return false
}
