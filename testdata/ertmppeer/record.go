package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/bluenviron/gortmplib/pkg/message"
)

// record is one media message as JSON: which track, what packet, and the
// codec data it carries, as bytes on the wire after the tag header.
type record struct {
	Media  string `json:"media"`  // "video" or "audio"
	Track  uint8  `json:"track"`  // 0 without multitrack
	Packet string `json:"packet"` // "config", "frame" or "end"
	Form   string `json:"form"`   // "legacy" or "enhanced"
	Codec  string `json:"codec"`  // the FourCC, or the legacy codec id
	DTS    int64  `json:"dts"`    // milliseconds
	PTS    int64  `json:"pts"`    // milliseconds
	Data   []byte `json:"data,omitempty"`
}

// describe turns a media message into a record; ok is false for anything
// else.
func describe(msg message.Message) (r record, ok bool) {
	switch m := msg.(type) {
	case *message.Video:
		r = record{Media: "video", Form: "legacy", Codec: fmt.Sprint(m.Codec), DTS: ms(m.DTS), PTS: ms(m.DTS + m.PTSDelta)}
		switch m.Type {
		case message.VideoTypeConfig:
			r.Packet = "config"
		case message.VideoTypeAU:
			r.Packet, r.Data = "frame", m.AU
		default:
			r.Packet = "end"
		}
	case *message.VideoExSequenceStart:
		r = record{Media: "video", Form: "enhanced", Packet: "config", Codec: fourCC(m.FourCC)}
	case *message.VideoExSequenceEnd:
		r = record{Media: "video", Form: "enhanced", Packet: "end", Codec: fourCC(m.FourCC)}
	case *message.VideoExCodedFrames:
		r = record{Media: "video", Form: "enhanced", Packet: "frame", Codec: fourCC(m.FourCC), DTS: ms(m.DTS), PTS: ms(m.DTS + m.PTSDelta), Data: m.Payload}
	case *message.VideoExFramesX:
		r = record{Media: "video", Form: "enhanced", Packet: "frame", Codec: fourCC(m.FourCC), DTS: ms(m.DTS), PTS: ms(m.DTS), Data: m.Payload}
	case *message.VideoExMultitrack:
		if r, ok = describe(m.Wrapped); ok {
			r.Track = m.TrackID
		}
		return r, ok
	case *message.Audio:
		r = record{Media: "audio", Form: "legacy", Packet: "frame", Codec: fmt.Sprint(m.Codec), DTS: ms(m.DTS), PTS: ms(m.DTS), Data: m.AU}
		if m.Codec == message.CodecMPEG4Audio && m.AACType == message.AudioAACTypeConfig {
			r.Packet, r.Data = "config", nil
		}
	case *message.AudioExSequenceStart:
		r = record{Media: "audio", Form: "enhanced", Packet: "config", Codec: fourCC(m.FourCC)}
	case *message.AudioExSequenceEnd:
		r = record{Media: "audio", Form: "enhanced", Packet: "end", Codec: fourCC(m.FourCC)}
	case *message.AudioExCodedFrames:
		r = record{Media: "audio", Form: "enhanced", Packet: "frame", Codec: fourCC(m.FourCC), DTS: ms(m.DTS), PTS: ms(m.DTS), Data: m.Payload}
	case *message.AudioExMultitrack:
		if r, ok = describe(m.Wrapped); ok {
			r.Track = m.TrackID
		}
		return r, ok
	default:
		return record{}, false
	}
	return r, true
}

// isMarker reports whether msg is the onTextData message that ends a run.
func isMarker(msg message.Message) bool {
	d, ok := msg.(*message.DataAMF0)
	return ok && len(d.Payload) > 0 && d.Payload[0] == "onTextData"
}

var stdout = json.NewEncoder(os.Stdout)

// emit prints the record of a media message; others are ignored.
func emit(msg message.Message) error {
	if r, ok := describe(msg); ok {
		return stdout.Encode(r)
	}
	return nil
}

func ms(d time.Duration) int64 { return d.Milliseconds() }

func fourCC(f message.FourCC) string {
	return string([]byte{byte(f >> 24), byte(f >> 16), byte(f >> 8), byte(f)})
}
