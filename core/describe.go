package core

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// DescribeInput prints an input in the one canonical form used by the
// golden transcripts and by drivers that trace a session.
func DescribeInput(in Input) string {
	var p printer
	if m, ok := in.(MessageReceived); ok {
		p.printf("recv ts=%d stream=%d ", m.Message.Timestamp, m.Message.StreamID)
		p.value(reflect.ValueOf(m.Message.Body))
		return p.String()
	}
	p.value(reflect.ValueOf(in))
	return p.String()
}

// DescribeEffect prints an effect in canonical form.
func DescribeEffect(e Effect) string {
	var p printer
	if s, ok := e.(Send); ok {
		p.printf("send csid=%d ts=%d stream=%d ", s.ChunkStreamID, s.Message.Timestamp, s.Message.StreamID)
		p.value(reflect.ValueOf(s.Message.Body))
		return p.String()
	}
	if w, ok := e.(WakeAt); ok && w.At == Never {
		return "WakeAt{never}"
	}
	p.value(reflect.ValueOf(e))
	return p.String()
}

// DescribeValue prints an AMF0 value: null, undefined, numbers in the
// shortest form, quoted strings, {k: v} objects, ecma{k: v} arrays and
// [a, b] strict arrays.
func DescribeValue(v amf0.Value) string {
	var p printer
	p.value(reflect.ValueOf(&v).Elem())
	return p.String()
}

type printer struct{ strings.Builder }

func (p *printer) printf(format string, args ...any) { fmt.Fprintf(p, format, args...) }

func (p *printer) properties(prefix string, ps []amf0.Property) {
	p.WriteString(prefix + "{")
	for i, prop := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(prop.Key + ": ")
		p.value(reflect.ValueOf(&prop.Value).Elem())
	}
	p.WriteString("}")
}

// value prints anything an input or effect can hold. Fields that are false
// are left out, which keeps flags such as AMF3 quiet, and so are empty
// Capabilities, which keeps legacy connects as they always printed.
func (p *printer) value(v reflect.Value) {
	if !v.IsValid() {
		p.WriteString("null")
		return
	}
	if v.CanInterface() && p.special(v.Interface()) {
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			p.WriteString("null")
			return
		}
		p.value(v.Elem())
	case reflect.Struct:
		t := v.Type()
		p.WriteString(t.Name() + "{")
		first := true
		for i := range t.NumField() {
			f := v.Field(i)
			if !t.Field(i).IsExported() || quiet(f) {
				continue
			}
			if !first {
				p.WriteString(", ")
			}
			first = false
			p.WriteString(t.Field(i).Name + ": ")
			p.value(f)
		}
		p.WriteString("}")
	case reflect.Slice, reflect.Array:
		p.WriteString("[")
		for i := range v.Len() {
			if i > 0 {
				p.WriteString(", ")
			}
			p.value(v.Index(i))
		}
		p.WriteString("]")
	case reflect.Float32, reflect.Float64:
		p.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.String:
		p.WriteString(strconv.Quote(v.String()))
	default:
		p.printf("%v", v.Interface())
	}
}

// quiet reports whether a struct field is left out when printed.
func quiet(f reflect.Value) bool {
	switch f.Kind() {
	case reflect.Bool:
		return !f.Bool()
	case reflect.Struct:
		return f.Type() == reflect.TypeFor[Capabilities]() && f.IsZero()
	}
	return false
}

// capabilities prints a negotiation compactly, leaving out what the side
// did not declare.
func (p *printer) capabilities(c Capabilities) {
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

// special prints the values whose reflected form would mislead.
func (p *printer) special(x any) bool {
	switch x := x.(type) {
	case amf0.Object:
		p.properties("", x)
	case amf0.ECMAArray:
		p.properties("ecma", x)
	case amf0.TypedObject:
		p.properties(x.ClassName, x.Properties)
	case amf0.Undefined:
		p.WriteString("undefined")
	case amf0.Date:
		p.printf("date(%s, %d)", strconv.FormatFloat(x.Milliseconds, 'g', -1, 64), x.TimeZone)
	case amf0.XMLDocument:
		p.printf("xml(%q)", string(x))
	case []byte:
		const shown = 16
		p.printf("bytes(%d:%x", len(x), x[:min(len(x), shown)])
		if len(x) > shown {
			p.WriteString("...")
		}
		p.WriteString(")")
	case time.Duration:
		if x == Never {
			p.WriteString("never")
		} else {
			p.printf("%dms", x/millisecond)
		}
	case Capabilities:
		p.capabilities(x)
	case message.LimitType:
		p.WriteString(name(int(x), "hard", "soft", "dynamic"))
	case PublishType:
		p.WriteString(name(int(x), "live", "record", "append"))
	case PlayType:
		p.WriteString(name(int(x), "any", "live", "recorded"))
	case MediaKind:
		p.WriteString(name(int(x), "audio", "video"))
	case RejectReason:
		p.WriteString(name(int(x), "denied", "bad-name"))
	case error:
		p.printf("%q", x.Error())
	default:
		return false
	}
	return true
}

// name is names[i], or the number for a value out of range.
func name(i int, names ...string) string {
	if i < len(names) {
		return names[i]
	}
	return strconv.Itoa(i)
}
