package httpflv_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/live"
)

// One Relay serves RTMP (driver.Serve) and HTTP-FLV: a stream published
// to rtmp://host/live/demo plays at http://host/live/demo.flv.
func Example() {
	r := &live.Relay{}
	web := httptest.NewServer(httpflv.NewHandler(r))
	defer web.Close()

	pub, _ := r.PublishLocal(relay.Path{App: "live", Key: "demo"})
	resp, err := http.Get(web.URL + "/live/demo.flv")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	pub.Close() // the publisher stops: the file ends
	header := make([]byte, 3)
	resp.Body.Read(header)
	fmt.Println(resp.Header.Get("Content-Type"), string(header))
	// Output: video/x-flv FLV
}
