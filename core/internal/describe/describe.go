package describe

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/amf3"
	"github.com/gortmp/rtmp/codec/message"
)

// Printer builds the canonical text of inputs, effects and AMF values.
// The zero Printer prints the values every session shares; Special and
// Quiet teach it a package's own types.
type Printer struct {
	strings.Builder

	// Special prints x and reports true when x is one of the caller's
	// types whose reflected form would mislead; it is asked before the
	// shared rules, so its concrete types win over the error interface.
	Special func(p *Printer, x any) bool
	// Quiet reports whether a struct field is left out, beside false
	// booleans, which are always left out so that flags such as AMF3
	// stay silent until set.
	Quiet func(f reflect.Value) bool
}

// Printf appends formatted text.
func (p *Printer) Printf(format string, args ...any) { fmt.Fprintf(p, format, args...) }

// Any prints x; see Value.
func (p *Printer) Any(x any) { p.Value(reflect.ValueOf(x)) }

// Value prints anything an input or effect can hold: structs as
// Name{Field: value}, slices as [a, b], numbers in the shortest form,
// strings quoted, nil as null, and AMF values as null, undefined,
// {k: v} objects, ecma{k: v} arrays and Class{k: v} typed objects.
func (p *Printer) Value(v reflect.Value) {
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
		p.Value(v.Elem())
	case reflect.Struct:
		p.fields(v)
	case reflect.Slice, reflect.Array:
		p.WriteString("[")
		for i := range v.Len() {
			if i > 0 {
				p.WriteString(", ")
			}
			p.Value(v.Index(i))
		}
		p.WriteString("]")
	case reflect.Float32, reflect.Float64:
		p.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.String:
		p.WriteString(strconv.Quote(v.String()))
	default:
		p.Printf("%v", v.Interface())
	}
}

// fields prints a struct's exported fields that are not quiet.
func (p *Printer) fields(v reflect.Value) {
	t := v.Type()
	p.WriteString(t.Name() + "{")
	first := true
	for i := range t.NumField() {
		f := v.Field(i)
		if !t.Field(i).IsExported() || p.quiet(f) {
			continue
		}
		if !first {
			p.WriteString(", ")
		}
		first = false
		p.WriteString(t.Field(i).Name + ": ")
		p.Value(f)
	}
	p.WriteString("}")
}

func (p *Printer) quiet(f reflect.Value) bool {
	if f.Kind() == reflect.Bool {
		return !f.Bool()
	}
	return p.Quiet != nil && p.Quiet(f)
}

func (p *Printer) properties(prefix string, ps []amf0.Property) {
	p.WriteString(prefix + "{")
	for i, prop := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(prop.Key + ": ")
		p.Value(reflect.ValueOf(&prop.Value).Elem())
	}
	p.WriteString("}")
}

func (p *Printer) properties3(prefix string, ps []amf3.Property) {
	p.WriteString(prefix + "{")
	for i, prop := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(prop.Key + ": ")
		p.Value(reflect.ValueOf(&prop.Value).Elem())
	}
	p.WriteString("}")
}

// special prints the values whose reflected form would mislead: the
// caller's own first, then the AMF and message types every session holds.
func (p *Printer) special(x any) bool {
	if p.Special != nil && p.Special(p, x) {
		return true
	}
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
		p.Printf("date(%s, %d)", strconv.FormatFloat(x.Milliseconds, 'g', -1, 64), x.TimeZone)
	case amf0.XMLDocument:
		p.Printf("xml(%q)", string(x))
	case amf0.AVMPlus:
		// The switch shows, so a transcript says what went out in AMF3.
		p.WriteString("amf3:")
		p.Value(reflect.ValueOf(&x.Value).Elem())
	case amf3.Object:
		p.properties3(x.ClassName, slices.Concat(x.Sealed, x.DynamicMembers))
	case amf3.Array:
		p.properties3("array", x.Associative)
		p.Any(x.Dense)
	case amf3.Undefined:
		p.WriteString("undefined")
	case []byte:
		// Media payloads are long; the length and a prefix identify them.
		const shown = 16
		p.Printf("bytes(%d:%x", len(x), x[:min(len(x), shown)])
		if len(x) > shown {
			p.WriteString("...")
		}
		p.WriteString(")")
	case message.LimitType:
		p.WriteString(Name(int(x), "hard", "soft", "dynamic"))
	case error:
		p.Printf("%q", x.Error())
	default:
		return false
	}
	return true
}

// Name is names[i], or the number for a value out of range, so that an
// enumeration prints by name without hiding values nobody named.
func Name(i int, names ...string) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return strconv.Itoa(i)
}
