package live

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// RecordMP4 is LinkConfig.RecordFormat for fragmented MP4 recordings.
const RecordMP4 = "mp4"

// Fragment limits of an MP4 recording: a fragment ends before each video
// keyframe; without video, or with keyframes far apart, it ends once this
// many samples or bytes wait, so a crash loses little and memory stays
// bounded.
const (
	mp4FragmentSamples = 256
	mp4FragmentBytes   = 8 << 20
)

// mp4Recording is one fragmented MP4 file being written: an init segment,
// then a fragment at a time, each written whole, so that the file can be
// read while it grows and, after a crash, up to its last fragment.
type mp4Recording struct {
	f      *os.File
	name   string
	tracks bool // the init segment is written
	mux    fmp4.Muxer
	buf    []byte
}

// recordMP4 writes what sub delivers as fragmented MP4 to a new file at
// name (with .mp4 for .flv), like record. A change of the track set (a new
// decoder configuration once samples were written) ends the file and
// starts another beside it. It returns the last file's name and how many
// samples all the files hold.
func (l *Links) recordMP4(sub *Subscriber, name string) (string, int, error) {
	name = strings.TrimSuffix(name, filepath.Ext(name)) + ".mp4"
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return name, 0, err
	}
	var tags fmp4.Tags
	var rec *mp4Recording
	samples, last := 0, name
	var err error
	for err == nil {
		tag, rerr := sub.ReadTag(l.ctx)
		if rerr != nil {
			err = rerr
			break
		}
		ev, perr := tags.Push(uint8(tag.Type), tag.Timestamp, tag.Data)
		if perr != nil {
			continue // a malformed message cannot be in the file; the rest can
		}
		if ev.TracksChanged && rec != nil && rec.tracks {
			err = rec.close()
			rec = nil
		}
		for _, s := range ev.Samples {
			if err != nil {
				break
			}
			if rec == nil {
				if rec, err = createMP4(name); err != nil {
					break
				}
				last = rec.name
			}
			if err = rec.add(tags.Tracks(), s); err == nil {
				samples++
			}
		}
	}
	if errors.Is(err, io.EOF) || l.ctx.Err() != nil {
		err = nil // the publisher left, or the links stop: the file is whole
	}
	if rec != nil {
		err = errors.Join(err, rec.close())
	}
	return last, samples, err
}

func createMP4(name string) (*mp4Recording, error) {
	f, name, err := createNew(name)
	if err != nil {
		return nil, err
	}
	return &mp4Recording{f: f, name: name}, nil
}

// add writes the init segment before the first sample, queues s, and
// writes a fragment of what came before each keyframe (or when enough
// waits).
func (r *mp4Recording) add(tracks []fmp4.Track, s fmp4.TrackSample) error {
	if !r.tracks {
		init, err := fmp4.AppendInit(r.buf[:0], tracks)
		if err != nil {
			return err
		}
		if _, err := r.f.Write(init); err != nil {
			return err
		}
		r.tracks, r.buf = true, init
	}
	// Added first, a keyframe ends the fragment before it: its own
	// duration is not known yet, so it starts the next one.
	r.mux.Add(s)
	if s.Keyframe || r.mux.Pending() >= mp4FragmentSamples || r.mux.PendingBytes() >= mp4FragmentBytes {
		return r.write(false)
	}
	return nil
}

// write writes the samples whose durations are known as one fragment, or
// every sample when the recording ends.
func (r *mp4Recording) write(all bool) error {
	var frag []byte
	var err error
	if all {
		frag, err = r.mux.Flush(r.buf[:0])
	} else {
		frag, err = r.mux.AppendFragment(r.buf[:0])
	}
	if err != nil {
		return err
	}
	r.buf = frag
	_, err = r.f.Write(frag)
	return err
}

func (r *mp4Recording) close() error {
	var err error
	if r.tracks {
		err = r.write(true)
	}
	return errors.Join(err, r.f.Close())
}
