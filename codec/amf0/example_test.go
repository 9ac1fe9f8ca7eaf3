package amf0_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
)

// A server reads a connect command from a message payload and writes the
// reply's values back.
func Example() {
	payload, _ := amf0.Append(nil, "connect", 1.0, amf0.Object{
		{Key: "app", Value: "live"},
		{Key: "tcUrl", Value: "rtmp://127.0.0.1/live"},
	})

	values, err := amf0.DecodeAll(payload)
	if err != nil {
		fmt.Println(err)
		return
	}
	name := values[0].(string)
	txn := values[1].(float64)
	params, _ := amf0.Properties(values[2])
	app, _ := amf0.Object(params).String("app")
	fmt.Println(name, txn, app)

	reply, _ := amf0.Append(nil, "_result", txn, nil, amf0.Object{
		{Key: "code", Value: "NetConnection.Connect.Success"},
	})
	fmt.Printf("% x\n", reply[:10])

	_, err = amf0.DecodeAll(payload[:24])
	fmt.Println(err)
	// Output:
	// connect 1 live
	// 02 00 07 5f 72 65 73 75 6c 74
	// amf: length exceeds the input at offset 20: string length 3 exceeds the input
}
