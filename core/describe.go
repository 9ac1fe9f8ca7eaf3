package core

import (
	"reflect"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/core/internal/describe"
)

// DescribeInput prints an input in the one canonical form used by the
// golden transcripts and by drivers that trace a session.
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
	if w, ok := e.(WakeAt); ok && w.At == Never {
		return "WakeAt{never}"
	}
	p.Any(e)
	return p.String()
}

// DescribeValue prints an AMF0 value: null, undefined, numbers in the
// shortest form, quoted strings, {k: v} objects, ecma{k: v} arrays and
// [a, b] strict arrays.
func DescribeValue(v amf0.Value) string {
	p := newPrinter()
	p.Any(v)
	return p.String()
}

// newPrinter is the shared canonical printer taught this package's types.
func newPrinter() *describe.Printer {
	return &describe.Printer{Special: special, Quiet: quiet}
}

// quiet leaves out empty Capabilities, which keeps legacy connects as they
// always printed.
func quiet(f reflect.Value) bool {
	return f.Type() == reflect.TypeFor[Capabilities]() && f.IsZero()
}

// special prints this package's values whose reflected form would mislead.
func special(p *describe.Printer, x any) bool {
	switch x := x.(type) {
	case time.Duration:
		if x == Never {
			p.WriteString("never")
		} else {
			p.Printf("%dms", x/millisecond)
		}
	case Capabilities:
		describeCapabilities(p, x)
	case PublishType:
		p.WriteString(describe.Name(int(x), "live", "record", "append"))
	case PlayType:
		p.WriteString(describe.Name(int(x), "any", "live", "recorded"))
	case MediaKind:
		p.WriteString(describe.Name(int(x), "audio", "video"))
	case RejectReason:
		p.WriteString(describe.Name(int(x), "denied", "bad-name"))
	default:
		return false
	}
	return true
}

// describeCapabilities prints a negotiation compactly, leaving out what
// the side did not declare.
func describeCapabilities(p *describe.Printer, c Capabilities) {
	var parts []string
	if c.FourCCList != nil {
		parts = append(parts, "fourCcList: ["+strings.Join(c.FourCCList, " ")+"]")
	}
	for _, m := range [...]struct {
		name    string
		entries []FourCCInfo
	}{{"video", c.VideoFourCCs}, {"audio", c.AudioFourCCs}} {
		if m.entries == nil {
			continue
		}
		es := make([]string, len(m.entries))
		for i, e := range m.entries {
			es[i] = e.FourCC + ": " + e.Flags.String()
		}
		parts = append(parts, m.name+": {"+strings.Join(es, ", ")+"}")
	}
	if c.Enhanced() {
		parts = append(parts, "capsEx: "+c.CapsEx.String())
	}
	p.WriteString("caps{" + strings.Join(parts, ", ") + "}")
}
