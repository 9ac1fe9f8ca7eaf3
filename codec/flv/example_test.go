package flv_test

import (
	"bytes"
	"fmt"

	"github.com/gortmp/rtmp/codec/flv"
)

// A relay classifies each video message, caches sequence starts per track,
// and records every message to a file.
func Example() {
	record := flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCHEVC, 0, []byte{1, 2, 3})
	frame := flv.AppendVideo(nil, flv.FrameKey, flv.VideoCodedFrames, flv.FourCCHEVC, 40, []byte{4, 5})

	var file bytes.Buffer
	w, _ := flv.NewWriter(&file, flv.Header{Version: 1, HasVideo: true})
	for i, payload := range [][]byte{record, frame} {
		info, err := flv.ClassifyVideo(payload)
		if err != nil {
			fmt.Println("drop:", err)
			continue
		}
		fmt.Println(info.Kind, info.FourCC, "track", info.TrackID, "cto", info.CompositionTime, info.Data)
		_ = w.WriteTag(flv.Tag{Type: flv.TagVideo, Timestamp: uint32(i * 40), Data: payload})
	}

	r := flv.NewReader(&file)
	for {
		tag, err := r.Next()
		if err != nil {
			break
		}
		fmt.Println("read tag at", tag.Timestamp, "ms,", len(tag.Data), "bytes")
	}
	// Output:
	// sequence-start hvc1 track 0 cto 0 [1 2 3]
	// keyframe hvc1 track 0 cto 40 [4 5]
	// read tag at 0 ms, 8 bytes
	// read tag at 40 ms, 10 bytes
}
