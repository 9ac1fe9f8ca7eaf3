package flv_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/flv"
)

func TestReadAll(t *testing.T) {
	tags := []flv.Tag{
		{Type: flv.TagScript, Data: []byte{2, 0, 0}},
		{Type: flv.TagVideo, Timestamp: 0, Data: []byte{0x17, 0, 0, 0, 0}},
		{Type: flv.TagAudio, Timestamp: 23, Data: []byte{0xaf, 1, 0x21}},
	}
	var file bytes.Buffer
	w, err := flv.NewWriter(&file, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		if err := w.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	got, err := flv.ReadAll(bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatalf("whole file: %v", err)
	}
	if diff := cmp.Diff(tags, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("tags (-wrote +read):\n%s", diff)
	}

	// Cut inside the last tag: the tags before it, and the error.
	got, err = flv.ReadAll(bytes.NewReader(file.Bytes()[:file.Len()-2]))
	if !errors.Is(err, flv.ErrTruncated) {
		t.Errorf("cut file: error %v, want ErrTruncated", err)
	}
	if diff := cmp.Diff(tags[:2], got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("tags before the cut (-wrote +read):\n%s", diff)
	}

	if _, err := flv.ReadAll(bytes.NewReader([]byte("FLX"))); err == nil {
		t.Error("a file without the FLV signature read without error")
	}
}
