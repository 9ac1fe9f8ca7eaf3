package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bluenviron/gortmplib"
	"github.com/bluenviron/gortmplib/pkg/amf0"
	"github.com/bluenviron/gortmplib/pkg/codecs"
	"github.com/bluenviron/gortmplib/pkg/message"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/opus"
)

// script is what publish sends: its tracks, in the order gortmplib
// numbers them (video tracks 0, 1, ... in order, audio tracks likewise),
// then its frames.
type script struct {
	Tracks []trackSpec `json:"tracks"`
	Frames []frameSpec `json:"frames"`
}

type trackSpec struct {
	// Codec is h264, h265, av1, vp9, opus or aac.
	Codec string `json:"codec"`
	// SPS and PPS (and VPS) configure H.264 and H.265; gortmplib uses
	// its own when they are missing.
	VPS []byte `json:"vps,omitempty"`
	SPS []byte `json:"sps,omitempty"`
	PPS []byte `json:"pps,omitempty"`
	// Config is the AAC AudioSpecificConfig.
	Config []byte `json:"config,omitempty"`
	// Channels is Opus's channel count.
	Channels int `json:"channels,omitempty"`
}

type frameSpec struct {
	Track int   `json:"track"` // index into script.Tracks
	DTS   int64 `json:"dts"`   // milliseconds
	PTS   int64 `json:"pts"`
	// Units are the NAL units (H.264, H.265) or OBUs (AV1) of the frame;
	// Data is a VP9 frame, an Opus packet or an AAC access unit.
	Units [][]byte `json:"units,omitempty"`
	Data  []byte   `json:"data,omitempty"`
}

func readScript(path string) (*script, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s script
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("script: %w", err)
	}
	return &s, nil
}

func (t trackSpec) track() (*gortmplib.Track, error) {
	switch t.Codec {
	case "h264":
		return &gortmplib.Track{Codec: &codecs.H264{SPS: t.SPS, PPS: t.PPS}}, nil
	case "h265":
		return &gortmplib.Track{Codec: &codecs.H265{VPS: t.VPS, SPS: t.SPS, PPS: t.PPS}}, nil
	case "av1":
		return &gortmplib.Track{Codec: &codecs.AV1{}}, nil
	case "vp9":
		return &gortmplib.Track{Codec: &codecs.VP9{}}, nil
	case "opus":
		return &gortmplib.Track{Codec: &codecs.Opus{IDHeader: &opus.IDHeader{
			Version: 1, ChannelCount: uint8(t.Channels), PreSkip: 312, InputSampleRate: 48000,
		}}}, nil
	case "aac":
		var conf mpeg4audio.AudioSpecificConfig
		if err := conf.Unmarshal(t.Config); err != nil {
			return nil, fmt.Errorf("aac config: %w", err)
		}
		return &gortmplib.Track{Codec: &codecs.MPEG4Audio{Config: &conf}}, nil
	}
	return nil, fmt.Errorf("unknown codec %q", t.Codec)
}

// printingConn prints every media message gortmplib writes.
type printingConn struct{ gortmplib.Conn }

func (c printingConn) Write(msg message.Message) error {
	if err := emit(msg); err != nil {
		return err
	}
	return c.Conn.Write(msg)
}

func publish(rawURL, scriptPath string) error {
	s, err := readScript(scriptPath)
	if err != nil {
		return err
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	tracks := make([]*gortmplib.Track, len(s.Tracks))
	for i, t := range s.Tracks {
		if tracks[i], err = t.track(); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &gortmplib.Client{URL: u, Publish: true}
	if err := c.Initialize(ctx); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer c.Close()
	w := &gortmplib.Writer{Conn: printingConn{c}, Tracks: tracks}
	if err := w.Initialize(); err != nil {
		return fmt.Errorf("tracks: %w", err)
	}
	fmt.Println("# ready")
	next := 0
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd := strings.Fields(in.Text())
		switch {
		case len(cmd) == 2 && cmd[0] == "send":
			n, err := strconv.Atoi(cmd[1])
			if err != nil || n < 0 || next+n > len(s.Frames) {
				return fmt.Errorf("bad command %q (%d frames left)", in.Text(), len(s.Frames)-next)
			}
			for _, f := range s.Frames[next : next+n] {
				if err := writeFrame(w, tracks[f.Track], s.Tracks[f.Track].Codec, f); err != nil {
					return fmt.Errorf("frame %d: %w", next, err)
				}
				next++
			}
			fmt.Println("# sent")
		case len(cmd) == 1 && cmd[0] == "end":
			return c.Write(&message.DataAMF0{ChunkStreamID: 4, MessageStreamID: 0x1000000,
				Payload: []any{"onTextData", amf0.Object{{Key: "text", Value: "end"}}}})
		default:
			return fmt.Errorf("bad command %q", in.Text())
		}
	}
	return fmt.Errorf("stdin ended without \"end\": %v", in.Err())
}

func writeFrame(w *gortmplib.Writer, t *gortmplib.Track, codec string, f frameSpec) error {
	dts, pts := time.Duration(f.DTS)*time.Millisecond, time.Duration(f.PTS)*time.Millisecond
	switch codec {
	case "h264":
		return w.WriteH264(t, pts, dts, f.Units)
	case "h265":
		return w.WriteH265(t, pts, dts, f.Units)
	case "av1":
		return w.WriteAV1(t, pts, f.Units)
	case "vp9":
		return w.WriteVP9(t, pts, f.Data)
	case "opus":
		return w.WriteOpus(t, pts, f.Data)
	case "aac":
		return w.WriteMPEG4Audio(t, pts, f.Data)
	}
	return fmt.Errorf("unknown codec %q", codec)
}
