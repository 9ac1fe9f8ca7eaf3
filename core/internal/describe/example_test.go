package describe_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/internal/describe"
)

func Example() {
	var p describe.Printer
	p.Any(message.Command{
		Name:          "connect",
		TransactionID: 1,
		Object:        amf0.Object{{Key: "app", Value: "live"}, {Key: "objectEncoding", Value: 0.0}},
		Args:          []amf0.Value{amf0.ECMAArray{{Key: "flag", Value: true}}, nil, amf0.Undefined{}},
	})
	fmt.Println(p.String())
	// Output:
	// Command{Name: "connect", TransactionID: 1, Object: {app: "live", objectEncoding: 0}, Args: [ecma{flag: true}, null, undefined]}
}
