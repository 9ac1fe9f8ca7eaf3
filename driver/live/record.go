package live

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
)

// startRecording records a publisher's stream, from its first message, to
// a new FLV file under Record; l.mu is not held. It subscribes before it
// returns, on the publisher's goroutine, so nothing the publisher sends
// next is missed.
func (l *Links) startRecording(p relay.Path, id relay.ClientID) {
	log := l.cfg.Logger.With("record", p.String())
	sub, err := l.r.subscribe(p, relay.ViewAll, &id, false)
	if err != nil {
		log.Warn("not recorded", "err", err)
		return
	}
	l.mu.Lock()
	started := l.start(func() {
		defer sub.Close()
		record := l.record
		if l.cfg.RecordFormat == RecordMP4 {
			record = l.recordMP4
		}
		file, tags, err := record(sub, recordPath(l.cfg.Record, p, time.Now()))
		if err != nil {
			log.Error("recording failed", "file", file, "tags", tags, "err", err)
			return
		}
		log.Info("recorded", "file", file, "tags", tags)
	})
	l.mu.Unlock()
	if !started {
		sub.Close()
	}
}

// record writes what sub delivers to a new file at name (or name with a
// number added, if that exists) until the publisher leaves or the links
// stop. It returns the file's name and how many tags it holds.
func (l *Links) record(sub *Subscriber, name string) (string, int, error) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return name, 0, err
	}
	f, name, err := createNew(name)
	if err != nil {
		return name, 0, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	w, err := flv.NewWriter(bw, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	tags := 0
	for err == nil {
		var tag flv.Tag
		tag, err = sub.ReadTag(l.ctx)
		if err != nil {
			break
		}
		err = w.WriteTag(tag)
		if errors.Is(err, flv.ErrTagTooLarge) {
			err = nil // cannot be in a file; the rest can
			continue
		}
		tags++
	}
	if errors.Is(err, io.EOF) || l.ctx.Err() != nil {
		err = nil // the publisher left, or the links stop: the file is whole
	}
	err = errors.Join(err, bw.Flush(), f.Close())
	return name, tags, err
}

// createNew creates name, or name-2, name-3... when it exists: a file is
// never overwritten.
func createNew(name string) (*os.File, string, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		try := name
		if i > 1 {
			try = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		f, err := os.OpenFile(try, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, os.ErrExist) || i == 100 {
			return f, try, err
		}
	}
}

// recordPath is where a recording of p started at t goes:
// DIR/APP/KEY-YYYYMMDD-HHMMSS.flv, in UTC, with every character that is
// not a letter, digit, '.', '-' or '_' of the client-chosen names replaced
// by '_' (so a nested app is one folder, and no name leaves DIR).
func recordPath(dir string, p relay.Path, t time.Time) string {
	return filepath.Join(dir, safeName(p.App), safeName(p.Key)+t.UTC().Format("-20060102-150405")+".flv")
}

// safeName turns a client-chosen name into one path element.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' && i > 0
		if !ok {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}
