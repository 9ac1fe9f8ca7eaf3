package core

import "github.com/gortmp/rtmp/codec/message"

// mediaStep is the one allocation of the media path: the event's content
// and the effect slice live together, fresh for every Step, so nothing the
// caller holds is shared with a later Step.
type mediaStep struct {
	media Media
	fx    [1]Effect
}

// media handles audio and video on a publishing stream. It changes nothing
// in the session, so it needs no copy and no deadline check. It reports
// false for anything else, which then takes the general path.
func (s *state) media(m message.Message) ([]Effect, bool) {
	var kind MediaKind
	var data []byte
	switch b := m.Body.(type) {
	case message.Audio:
		kind, data = KindAudio, b.Payload
	case message.Video:
		kind, data = KindVideo, b.Payload
	default:
		return nil, false
	}
	i, ok := s.findStream(m.StreamID)
	if !ok || s.streams[i].state != streamPublishing {
		return nil, false
	}
	st := &s.streams[i]
	step := &mediaStep{media: Media{
		App:        s.conn.app,
		StreamKey:  st.key,
		StreamID:   st.id,
		Kind:       kind,
		Timestamp:  m.Timestamp,
		ReceivedAt: s.now,
		Data:       data,
	}}
	step.fx[0] = AudioVideoDataReceived{&step.media}
	return step.fx[:], true
}
