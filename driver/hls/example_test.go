package hls_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

// One Relay serves RTMP (driver.Serve) and HLS: a stream published to
// rtmp://host/live/demo plays at http://host/live/demo/index.m3u8.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &live.Relay{}
	h := hls.NewHandler(r, hls.Config{})
	go h.Run(ctx) // stops idle streams
	web := httptest.NewServer(h)
	defer web.Close()

	pub, _ := r.PublishLocal(relay.Path{App: "live", Key: "demo"})
	first := make(chan string)
	go func() { // the first request starts cutting the stream
		resp, err := http.Get(web.URL + "/live/demo/index.m3u8")
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		fmt.Fprint(b, resp.Header.Get("Content-Type"), " ")
		buf := make([]byte, 512)
		n, _ := resp.Body.Read(buf)
		b.Write(buf[:n])
		first <- b.String()
	}()
	for r.Players(relay.Path{App: "live", Key: "demo"}) == 0 {
		time.Sleep(time.Millisecond) // until the segmenter plays the path
	}
	f, _ := os.Open("../../testdata/media/h264-aac-640x360.flv")
	tags, _ := flv.ReadAll(f)
	for _, tag := range tags {
		kind := map[flv.TagType]relay.Kind{flv.TagAudio: relay.Audio, flv.TagVideo: relay.Video, flv.TagScript: relay.Metadata}[tag.Type]
		pub.WriteMedia(relay.Media{Kind: kind, Timestamp: tag.Timestamp, Payload: tag.Data})
	}
	playlist := <-first
	fmt.Println(strings.Join(strings.Split(playlist, "\n")[:5], "\n"))
	// Output:
	// application/vnd.apple.mpegurl #EXTM3U
	// #EXT-X-VERSION:6
	// #EXT-X-TARGETDURATION:2
	// #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600
	// #EXT-X-PART-INF:PART-TARGET=0.200
}
