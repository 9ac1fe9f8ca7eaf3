package amf3_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf3"
)

// A dynamic anonymous object round-trips through its wire form; the
// repeated member name travels as a string reference.
func Example() {
	in := amf3.Array{Dense: []amf3.Value{
		amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{{Key: "code", Value: "ok"}}},
		amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{{Key: "code", Value: int32(7)}}},
	}}
	b, err := amf3.Append(nil, in)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", b)

	v, n, err := amf3.Decode(b)
	if err != nil {
		panic(err)
	}
	second := v.(amf3.Array).Dense[1].(amf3.Object)
	fmt.Println(n, second.DynamicMembers[0].Key, second.DynamicMembers[0].Value)
	// Output:
	// 09 05 01 0a 0b 01 09 63 6f 64 65 06 05 6f 6b 01 0a 01 00 04 07 01
	// 22 code 7
}
