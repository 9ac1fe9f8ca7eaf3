package sim

import (
	"errors"
	"io"
	"os"

	"github.com/gortmp/rtmp/codec/flv"
)

// ReadFLV returns every tag of an FLV file, in order.
func ReadFLV(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := flv.NewReader(f)
	var tags []flv.Tag
	for {
		t, err := r.Next()
		if errors.Is(err, io.EOF) {
			return tags, nil
		}
		if err != nil {
			return nil, err
		}
		tags = append(tags, t)
	}
}
