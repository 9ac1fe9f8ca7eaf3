package rtmpt_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gortmp/rtmp/driver/rtmpt"
)

// A Listener mounted on an HTTP server hands each RTMPT session to Accept
// as a net.Conn; driver.Serve(ctx, l, handler, cfg) serves them like TCP
// connections. Here the server's end answers in capitals, and the
// client's requests are made by hand.
func Example() {
	l := rtmpt.NewListener(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, rtmpt.Config{})
	srv := httptest.NewServer(l)
	defer srv.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		buf := make([]byte, 64)
		n, _ := c.Read(buf)
		c.Write(bytes.ToUpper(buf[:n]))
	}()

	post := func(path string, body string) string {
		resp, err := http.Post(srv.URL+path, "application/x-fcs", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	id := strings.TrimSuffix(post("/open/1", "\x00"), "\n")
	post("/send/"+id+"/0", "hello")
	reply := post("/idle/"+id+"/1", "\x00")
	fmt.Printf("interval %d, data %q\n", reply[0], reply[1:])
	// Output: interval 1, data "HELLO"
}

// Dial is the client's end: a net.Conn whose writes go to the server in
// send requests and whose reads come from the replies. dial.Dial uses it
// for rtmpt://, rtmpte:// and rtmpts:// URLs.
func ExampleDial() {
	l := rtmpt.NewListener(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, rtmpt.Config{})
	srv := httptest.NewServer(l)
	defer srv.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c) // echo
	}()

	c, err := rtmpt.Dial(context.Background(), srv.URL, rtmpt.DialConfig{})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	c.Write([]byte("hello over HTTP"))
	buf := make([]byte, len("hello over HTTP"))
	io.ReadFull(c, buf)
	fmt.Println(string(buf))
	// Output: hello over HTTP
}
