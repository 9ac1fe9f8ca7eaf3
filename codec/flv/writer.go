package flv

import "io"

// Writer writes an FLV file: the header at creation, then one tag per
// WriteTag, each followed by its previous-tag-size trailer.
type Writer struct {
	w   io.Writer
	buf []byte
}

// NewWriter writes the file header (and PreviousTagSize0) to w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if h.DataOffset == 0 {
		h.DataOffset = headerLen
	}
	if h.DataOffset < headerLen {
		return nil, &FileError{Offset: 5, Err: ErrDataOffset}
	}
	var flags byte
	if h.HasAudio {
		flags |= 0x04
	}
	if h.HasVideo {
		flags |= 0x01
	}
	b := []byte{'F', 'L', 'V', h.Version, flags}
	b = append32(b, h.DataOffset)
	b = append(b, make([]byte, h.DataOffset-headerLen)...)
	b = append32(b, 0)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	return &Writer{w: w, buf: b[:0]}, nil
}

// WriteTag writes one tag and its trailer with a single Write call.
func (w *Writer) WriteTag(t Tag) error {
	b, err := AppendTag(w.buf[:0], t)
	if err != nil {
		return err
	}
	w.buf = b
	_, err = w.w.Write(b)
	return err
}

// AppendTag appends one tag and its previous-tag-size trailer to dst, as
// a file or a stream carries it.
func AppendTag(dst []byte, t Tag) ([]byte, error) {
	if len(t.Data) > maxTagData {
		return dst, ErrTagTooLarge
	}
	if t.Type > 0x1f || t.StreamID > 0xffffff {
		return dst, ErrTagReserved
	}
	first := byte(t.Type)
	if t.Filter {
		first |= 0x20
	}
	b := append(dst, first)
	b = append24(b, uint32(len(t.Data)))
	b = append24(b, t.Timestamp&0xffffff)
	b = append(b, byte(t.Timestamp>>24))
	b = append24(b, t.StreamID)
	b = append(b, t.Data...)
	return append32(b, uint32(tagHeaderLen+len(t.Data))), nil
}
