package driver_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testkit"
)

// playClientEnv, when set to "N@URL", turns the test binary into the
// client process of TestPlayerStack: it plays URL's stream on N
// connections, says "ready" once each has its first keyframe, and reads on
// until its standard input closes.
const playClientEnv = "RTMP_PLAY_CLIENT"

// playClient is that client process.
func playClient(spec string) int {
	count, url, _ := strings.Cut(spec, "@")
	n, err := strconv.Atoi(count)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s=%q: %v\n", playClientEnv, spec, err)
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	keyframes := make(chan error, n)
	for i := range n {
		c, err := dial.Dial(ctx, url)
		if err != nil {
			fmt.Fprintf(os.Stderr, "player %d: %v\n", i, err)
			return 1
		}
		defer c.Close()
		p, err := c.Play(ctx, "")
		if err != nil {
			fmt.Fprintf(os.Stderr, "player %d: %v\n", i, err)
			return 1
		}
		go func() {
			seen := false
			for {
				m, err := p.ReadMessage(ctx)
				if err != nil {
					if !seen {
						keyframes <- err
					}
					return
				}
				if v, ok := m.Body.(message.Video); ok && !seen && len(v.Payload) > 1 && v.Payload[0] == 0x17 && v.Payload[1] == 1 {
					seen = true
					keyframes <- nil
				}
			}
		}()
	}
	for range n {
		if err := <-keyframes; err != nil {
			fmt.Fprintf(os.Stderr, "a player ended before its first keyframe: %v\n", err)
			return 1
		}
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// TestPlayerStack has players, in a second process, play a stream with a
// fast start, and measures the goroutine stack each costs the server once
// they wait for the next message: one goroutine, whose stack grows to
// 8 KiB while its play is handled and must be shrunk back to 4 KiB by the
// runtime, which it does only while less than a quarter is in use. A
// connection's loop that waits too deep in its own frames keeps 8 KiB
// (1000 players held 8.9 MB of stack against 5.2).
func TestPlayerStack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a second process")
	}
	if raceEnabled {
		t.Skip("the race detector's frames are deeper: the stack stays at 8 KiB")
	}
	const players = 300
	addr := startServer(t, nil, &live.Relay{}, driver.Config{})
	url := "rtmp://" + addr + "/live/stack"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pc, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pub, err := pc.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	frame := func(ts uint32, payload []byte) {
		if err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Video{Payload: payload}}); err != nil {
			t.Fatal(err)
		}
	}
	frame(0, []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f})
	frame(0, append([]byte{0x17, 1, 0, 0, 0}, make([]byte, 6000)...))
	for ts := uint32(40); ts <= 400; ts += 40 {
		frame(ts, append([]byte{0x27, 1, 0, 0, 0}, make([]byte, 1500)...))
	}

	before := testkit.MemStats()
	startClientProcess(t, fmt.Sprintf("%s=%d@%s", playClientEnv, players, url))
	frame(440, append([]byte{0x27, 1, 0, 0, 0}, make([]byte, 1500)...))

	// The players' loops go back to waiting once they have handled what
	// their peers sent (acknowledgements, say); a collection then shrinks
	// their stacks. Measure until it has, for a few seconds: a loop that
	// waits too deep in its own frames never gets there.
	var stack int64
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		after := testkit.MemStats()
		stack = (int64(after.StackInuse) - int64(before.StackInuse)) / players
		if stack < 6<<10 || time.Now().After(deadline) {
			break
		}
	}
	t.Logf("%d players: %d B of goroutine stack each", players, stack)
	if stack >= 6<<10 {
		t.Errorf("a player costs %d B of goroutine stack, want under 6 KiB: is its loop's stack kept at 8 KiB?", stack)
	}
}
