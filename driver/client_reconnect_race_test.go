package driver_test

import (
	"context"
	"testing"
	"time"

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

// A reconnect request that reaches the client while its Publish waits for
// the answer must not strand the publication: the reconnect moves the
// streams started before it, not this one, so Publish starts it again
// where the connection goes, and returns a publication that publishes
// there. Before, Publish returned a publication left on the old server's
// stream id (its media went to the new server on a stream that did not
// exist), or failed with the old link's end.
func TestPublishRacingReconnect(t *testing.T) {
	for _, ending := range []raceEnding{answerAfterRequest, hangUpUnanswered} {
		t.Run(ending.String(), func(t *testing.T) {
			noLeakAtEnd(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			b := &driver.Relay{}
			bAddr := startServer(t, nil, b, driver.Config{})
			a := raceServer(t, "publish", "NetStream.Publish.Start", rtmpURL(bAddr, "live"), ending)

			c, err := driver.DialConfig{Reconnect: driver.ReconnectFollow}.Dial(ctx, a.url("live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			pub, err := c.Publish(ctx, "")
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if got := c.Target().Addr; got != bAddr {
				t.Errorf("the connection is on %s, want the new server %s", got, bAddr)
			}
			path := relay.Path{App: "live", Key: "demo"}
			waitFor(t, "the new server to see the publisher", 10*time.Second, func() bool { return b.Publishing(path) })

			// Media reaches the new server's players.
			pc, err := driver.Dial(ctx, rtmpURL(bAddr, "live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			pb, err := pc.Play(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the player to join", 10*time.Second, func() bool { return b.Players(path) == 1 })
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

// The same for Play: the playback starts again on the new server and
// receives what is published there.
func TestPlayRacingReconnect(t *testing.T) {
	for _, ending := range []raceEnding{answerAfterRequest, hangUpUnanswered} {
		t.Run(ending.String(), func(t *testing.T) {
			noLeakAtEnd(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			b := &driver.Relay{}
			bAddr := startServer(t, nil, b, driver.Config{})
			a := raceServer(t, "play", "NetStream.Play.Start", rtmpURL(bAddr, "live"), ending)

			c, err := driver.DialConfig{Reconnect: driver.ReconnectFollow}.Dial(ctx, a.url("live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			pb, err := c.Play(ctx, "")
			if err != nil {
				t.Fatalf("Play: %v", err)
			}
			path := relay.Path{App: "live", Key: "demo"}
			waitFor(t, "the new server to see the player", 10*time.Second, func() bool { return b.Players(path) == 1 })

			pc, err := driver.Dial(ctx, rtmpURL(bAddr, "live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer pc.Close()
			pub, err := pc.Publish(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			key := message.Message{Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 0xCD}}}
			if err := pub.WriteMessage(key); err != nil {
				t.Fatal(err)
			}
			for {
				m, err := pb.ReadMessage(ctx)
				if err != nil {
					t.Fatalf("the playback got no video: %v", err)
				}
				if v, ok := m.Body.(message.Video); ok {
					if v.Payload[len(v.Payload)-1] != 0xCD {
						t.Errorf("video %x, want the keyframe published", v.Payload)
					}
					break
				}
			}
		})
	}
}
