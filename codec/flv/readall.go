package flv

import (
	"errors"
	"io"
)

// ReadAll reads the header and every tag of an FLV file from r, in order.
// A clean end of file after a whole tag ends it without error; any other
// error is returned with the tags read before it.
func ReadAll(r io.Reader) ([]Tag, error) {
	fr := NewReader(r)
	var tags []Tag
	for {
		t, err := fr.Next()
		if errors.Is(err, io.EOF) {
			return tags, nil
		}
		if err != nil {
			return tags, err
		}
		tags = append(tags, t)
	}
}
