package driver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// reconnectMsg is the onStatus a server sends to move its client to tcURL.
func reconnectMsg(tcURL string) message.Message {
	return message.Message{Body: message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: "status"},
		{Key: "code", Value: "NetConnection.Connect.ReconnectRequest"},
		{Key: "tcUrl", Value: tcURL},
	}}}}
}

// raceEnding is what the old server does after its reconnect request,
// while the client's publish or play still waits for an answer.
type raceEnding int

const (
	answerAfterRequest raceEnding = iota // the answer follows in the same write
	hangUpUnanswered                     // it closes the connection instead
)

func (e raceEnding) String() string {
	return [...]string{"answered after the request", "old server hangs up"}[e]
}

// raceServer is an old server that, on command (publish or play), sends a
// reconnect request to newURL before the answer, then ends as told.
func raceServer(t *testing.T, command, answer, newURL string, ending raceEnding) *scriptServer {
	return startScriptServer(t, func(sc *scriptConn) {
		if sc.accept() != nil {
			return
		}
		_, sid, err := sc.await(command)
		if err != nil {
			return
		}
		if ending == hangUpUnanswered {
			sc.send(reconnectMsg(newURL))
			return
		}
		sc.send(reconnectMsg(newURL), statusMsg(sid, answer))
		sc.command() // until the client hangs up
	})
}

// A reconnect request that reaches the client while its Publish or Play
// waits for the answer must not strand the stream: the reconnect moves the
// streams started before it, not this one, so the call starts it again
// where the connection goes. Before, Publish returned a publication left on
// the old server's stream id (its media went to the new server on a stream
// that did not exist there), and both calls failed with the old link's end
// when the old server hung up, although the connection went on.
func TestStartRacingReconnect(t *testing.T) {
	for _, publish := range []bool{true, false} {
		for _, ending := range []raceEnding{answerAfterRequest, hangUpUnanswered} {
			command, answer := "play", "NetStream.Play.Start"
			if publish {
				command, answer = "publish", "NetStream.Publish.Start"
			}
			t.Run(command+", "+ending.String(), func(t *testing.T) {
				noLeakAtEnd(t)
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				b := &live.Relay{}
				bAddr := startServer(t, nil, b, driver.Config{})
				a := raceServer(t, command, answer, rtmpURL(bAddr, "live"), ending)
				c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, a.url("live/demo"))
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				other, err := dial.Dial(ctx, rtmpURL(bAddr, "live/demo"))
				if err != nil {
					t.Fatal(err)
				}
				defer other.Close()

				// The client under test publishes or plays on A and ends
				// up on B; the other side is a plain client on B.
				path := relay.Path{App: "live", Key: "demo"}
				var pub *dial.Publication
				var pb *dial.Playback
				if publish {
					if pub, err = c.Publish(ctx, ""); err != nil {
						t.Fatalf("Publish: %v", err)
					}
					waitFor(t, "the new server to see the publisher", 10*time.Second, func() bool { return b.Publishing(path) })
					if pb, err = other.Play(ctx, ""); err != nil {
						t.Fatal(err)
					}
					waitFor(t, "the player to join", 10*time.Second, func() bool { return b.Players(path) == 1 })
				} else {
					if pb, err = c.Play(ctx, ""); err != nil {
						t.Fatalf("Play: %v", err)
					}
					waitFor(t, "the new server to see the player", 10*time.Second, func() bool { return b.Players(path) == 1 })
					if pub, err = other.Publish(ctx, ""); err != nil {
						t.Fatal(err)
					}
				}
				if got := c.Target().Addr; got != bAddr {
					t.Errorf("the connection is on %s, want the new server %s", got, bAddr)
				}
				key := message.Message{Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 0xAB}}}
				if err := pub.WriteMessage(key); err != nil {
					t.Fatal(err)
				}
				for {
					m, err := pb.ReadMessage(ctx)
					if err != nil {
						t.Fatalf("the player got no video: %v", err)
					}
					if v, ok := m.Body.(message.Video); ok {
						if v.Payload[len(v.Payload)-1] != 0xAB {
							t.Errorf("video %x, want the keyframe written", v.Payload)
						}
						break
					}
				}
			})
		}
	}
}
