package client

import (
	"github.com/gortmp/rtmp/core/internal/describe"
)

// DescribeInput prints an input in the one canonical form of the golden
// transcripts, for tests and for drivers that trace a session. Messages
// and AMF values print exactly as the server session prints them.
func DescribeInput(in Input) string {
	p := newPrinter()
	if m, ok := in.(MessageReceived); ok {
		p.Printf("recv ts=%d stream=%d ", m.Message.Timestamp, m.Message.StreamID)
		p.Any(m.Message.Body)
		return p.String()
	}
	p.Any(in)
	return p.String()
}

// DescribeEffect prints an effect in canonical form.
func DescribeEffect(e Effect) string {
	p := newPrinter()
	if s, ok := e.(Send); ok {
		p.Printf("send csid=%d ts=%d stream=%d ", s.ChunkStreamID, s.Message.Timestamp, s.Message.StreamID)
		p.Any(s.Message.Body)
		return p.String()
	}
	p.Any(e)
	return p.String()
}

// newPrinter is the shared canonical printer taught this package's types.
func newPrinter() *describe.Printer { return &describe.Printer{Special: special} }

// special prints this package's enumerations by name.
func special(p *describe.Printer, x any) bool {
	switch x := x.(type) {
	case PublishType:
		p.WriteString(describe.Name(int(x), "live", "record", "append"))
	case MediaKind:
		p.WriteString(describe.Name(int(x), "audio", "video"))
	default:
		return false
	}
	return true
}
