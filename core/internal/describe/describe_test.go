package describe_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/internal/describe"
)

type level uint8

// quietWhenZero is left out of a printed struct while it is zero.
type quietWhenZero struct{ N int }

type event struct {
	Level  level
	Hidden quietWhenZero
	Shown  struct{ N int }
	Flag   bool
	Err    error
}

func TestPrinterRules(t *testing.T) {
	long := make([]byte, 20)
	long[0] = 0xab
	cases := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{1.5, "1.5"},
		{1e21, "1e+21"},
		{"a\"b", `"a\"b"`},
		{[]byte{1, 2}, "bytes(2:0102)"},
		{long, "bytes(20:ab000000000000000000000000000000...)"},
		{amf0.Date{Milliseconds: 1.5e12, TimeZone: -60}, "date(1.5e+12, -60)"},
		{amf0.XMLDocument("<a/>"), `xml("<a/>")`},
		{amf0.TypedObject{ClassName: "Point", Properties: []amf0.Property{{Key: "x", Value: 1.0}}}, "Point{x: 1}"},
		{amf0.StrictArray{1.0, "b", amf0.Object{}}, `[1, "b", {}]`},
		{message.SetPeerBandwidth{Size: 10, Limit: message.LimitDynamic}, "SetPeerBandwidth{Size: 10, Limit: dynamic}"},
		{message.LimitType(7), "7"},
		{event{Level: 1, Err: errors.New("boom")}, `event{Level: high, Shown: {N: 0}, Err: "boom"}`},
		{event{Level: 9, Flag: true}, "event{Level: 9, Shown: {N: 0}, Flag: true, Err: null}"},
		{event{Hidden: quietWhenZero{2}}, "event{Level: low, Hidden: quietWhenZero{N: 2}, Shown: {N: 0}, Err: null}"},
	}
	for _, c := range cases {
		p := describe.Printer{
			Special: func(p *describe.Printer, x any) bool {
				l, ok := x.(level)
				if ok {
					p.WriteString(describe.Name(int(l), "low", "high"))
				}
				return ok
			},
			Quiet: func(f reflect.Value) bool { return f.Type() == reflect.TypeFor[quietWhenZero]() && f.IsZero() },
		}
		p.Any(c.in)
		if got := p.String(); got != c.want {
			t.Errorf("%#v printed %s, want %s", c.in, got, c.want)
		}
	}
}
