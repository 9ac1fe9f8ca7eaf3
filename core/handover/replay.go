package handover

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
		kind    flv.Kind
		track   uint8
	)
	switch b := m.Body.(type) {
	case message.Video:
		r.video, video, payload = true, true, b.Payload
		v, err := flv.ClassifyVideo(b.Payload)
		if err != nil {
			return
		}
		kind, track = v.Kind, v.TrackID
	case message.Audio:
		payload = b.Payload
		a, err := flv.ClassifyAudio(b.Payload)
		if err != nil {
			return
		}
		kind, track = a.Kind, a.TrackID
	default:
		return
	}
	switch kind {
	case flv.KindSequenceStart, flv.KindChannelConfig, flv.KindMetadata:
		m.Body = copyMedia(video, payload)
		h := replayHeader{video: video, track: track, kind: kind, msg: m}
		for i, old := range r.headers {
			if old.video == video && old.track == track && old.kind == kind {
				r.headers[i] = h
				return
			}
		}
		r.headers = append(r.headers, h)
	case flv.KindSequenceEnd:
		r.headers = slices.DeleteFunc(r.headers, func(h replayHeader) bool {
			return h.video == video && h.track == track
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
