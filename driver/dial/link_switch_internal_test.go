package dial

import (
	"errors"
	"testing"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/handover"
	"github.com/gortmp/rtmp/driver/internal/testkit"
)

// A keyframe written while a prepared reconnect is ready but its link has
// failed (its read loop ended, the reconnect about to give up) must not
// switch to that link: the connection would then sit on a socket nobody
// reads, never end, and Close would wait forever.
func TestSendSkipsBrokenNextLink(t *testing.T) {
	oldc, _ := testkit.LoopbackPair(t)
	newc, _ := testkit.LoopbackPair(t)
	cfg := Config{}.withDefaults()
	old := newClientLink(oldc, clientconn.New(cfg.pipeline(Target{})), Target{})
	next := newClientLink(newc, clientconn.New(cfg.pipeline(Target{})), Target{})
	next.err = errors.New("broken")
	c := newConn(old, cfg)
	p := &Publication{c: c, id: 1}
	old.pubs[1] = p
	f := &following{
		pubs: []*Publication{p}, pubIDs: map[*Publication]uint32{p: 1}, playID: map[*Playback]uint32{},
		ready: true, switched: make(chan struct{}),
	}
	c.follow, c.next = f, next
	c.life = handover.New(true)
	c.life.Follow()
	c.life.NewReady(true)
	c.syncMoving()

	p.send(client.SendMessage{Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0}}})
	if c.link != old {
		t.Fatal("a keyframe switched the connection to a prepared link that had failed")
	}
}
