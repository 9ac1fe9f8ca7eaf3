package driver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/driver"
)

// Our client over rtmpe:// publishes to and plays from a server that
// accepts RTMPE, message for message; a server that does not refuses the
// handshake (it is RTMPE on the wire, not plain RTMP).
func TestClientRTMPE(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{RTMPE: true})
	url := "rtmpe://" + addr + "/live/demo"

	target, err := dial.ParseURL(url)
	if err != nil || !target.Encrypted || target.Secure || target.Addr != addr || target.TCURL != "rtmpe://"+addr+"/live" {
		t.Fatalf("ParseURL: %+v, %v", target, err)
	}
	player := startPlayer(ctx, t, legacyPlayer, url)
	c, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := [][]byte{
		{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f},
		{0x17, 1, 0, 0, 0, 'K', 'E', 'Y'},
		{0x27, 1, 0, 0, 0, 'P', '1'},
		{0x27, 1, 0, 0, 0, 'P', '2'},
	}
	for i, b := range sent {
		writeVideo(t, pub, uint32(40*i), b)
	}
	got := readVideo(ctx, t, "player over RTMPE", player, len(sent))
	for i := range sent {
		if string(got.video[i]) != string(sent[i]) {
			t.Errorf("video %d: %x, want %x", i, got.video[i], sent[i])
		}
	}

	plainAddr := startServer(t, nil, &live.Relay{}, driver.Config{})
	_, err = dial.Dial(ctx, "rtmpe://"+plainAddr+"/live/demo")
	if err == nil {
		t.Error("a server without RTMPE accepted an rtmpe:// dial")
	}
}
