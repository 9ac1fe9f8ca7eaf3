package flv

import (
	"errors"
	"io"
)

// Reader reads an FLV file tag by tag. Errors are *FileError values that
// give the offset of the bad field; a clean end of file after a complete
// tag is io.EOF. Reserved bits of the header flags are ignored, as players
// ignore them; everything else is checked.
type Reader struct {
	r       io.Reader
	off     int64
	header  Header
	read    bool // header consumed
	err     error
	scratch [tagHeaderLen + 4]byte
}

// NewReader reads FLV from r. It reads nothing until Header or Next.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Header reads (once) and returns the file header.
func (r *Reader) Header() (Header, error) {
	if !r.read && r.err == nil {
		r.err = r.readHeader()
		r.read = true
	}
	return r.header, r.err
}

// Offset is the number of bytes consumed so far.
func (r *Reader) Offset() int64 { return r.off }

// Next reads the next tag, with its previous-tag-size trailer checked.
// Tag.Data is newly allocated for each tag. After an error every call
// returns the same error.
func (r *Reader) Next() (Tag, error) {
	if _, err := r.Header(); err != nil {
		return Tag{}, err
	}
	t, err := r.readTag()
	if err != nil {
		r.err = err
	}
	return t, err
}

func (r *Reader) readHeader() error {
	b := r.scratch[:headerLen]
	if err := r.full(b); err != nil {
		return err
	}
	if b[0] != 'F' || b[1] != 'L' || b[2] != 'V' {
		return &FileError{Offset: 0, Err: ErrSignature}
	}
	r.header = Header{
		Version:    b[3],
		HasAudio:   b[4]&0x04 != 0,
		HasVideo:   b[4]&0x01 != 0,
		DataOffset: be32(b[5:]),
	}
	if r.header.DataOffset < headerLen {
		return &FileError{Offset: 5, Err: ErrDataOffset}
	}
	// Skip any header bytes a later version added, then PreviousTagSize0.
	if err := r.skip(int64(r.header.DataOffset) - headerLen); err != nil {
		return err
	}
	at := r.off
	if err := r.full(r.scratch[:4]); err != nil {
		return err
	}
	if be32(r.scratch[:4]) != 0 {
		return &FileError{Offset: at, Err: ErrPreviousTagSize}
	}
	return nil
}

func (r *Reader) readTag() (Tag, error) {
	start := r.off
	b := r.scratch[:tagHeaderLen]
	n, err := io.ReadFull(r.r, b)
	r.off += int64(n)
	if n == 0 && err == io.EOF {
		return Tag{}, io.EOF
	}
	if err != nil {
		return Tag{}, r.wrap(err)
	}
	if b[0]&0xc0 != 0 {
		return Tag{}, &FileError{Offset: start, Err: ErrTagReserved}
	}
	t := Tag{
		Type:      TagType(b[0] & 0x1f),
		Filter:    b[0]&0x20 != 0,
		Timestamp: be24(b[4:]) | uint32(b[7])<<24,
		StreamID:  be24(b[8:]),
	}
	size := int(be24(b[1:]))
	if t.Data, err = r.data(size); err != nil {
		return Tag{}, err
	}
	at := r.off
	if err := r.full(r.scratch[:4]); err != nil {
		return Tag{}, err
	}
	if be32(r.scratch[:4]) != uint32(tagHeaderLen+size) {
		return Tag{}, &FileError{Offset: at, Err: ErrPreviousTagSize}
	}
	return t, nil
}

// data reads size bytes, growing the buffer only as bytes arrive so that a
// lying size field in a short file cannot make us allocate 16 MiB.
func (r *Reader) data(size int) ([]byte, error) {
	const step = 64 << 10
	buf := make([]byte, 0, min(size, step))
	for len(buf) < size {
		n := min(size-len(buf), step)
		buf = append(buf, make([]byte, n)...)
		if err := r.full(buf[len(buf)-n:]); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func (r *Reader) full(b []byte) error {
	n, err := io.ReadFull(r.r, b)
	r.off += int64(n)
	if err != nil {
		return r.wrap(err)
	}
	return nil
}

func (r *Reader) skip(n int64) error {
	got, err := io.CopyN(io.Discard, r.r, n)
	r.off += got
	if err != nil {
		return r.wrap(err)
	}
	return nil
}

// wrap turns a short read into ErrTruncated at the current offset and keeps
// any other reader error.
func (r *Reader) wrap(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = ErrTruncated
	}
	return &FileError{Offset: r.off, Err: err}
}
