package driver_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// Close of a Subscriber wakes a Read blocked on it, as closing a
// connection wakes its reader: the reader's goroutine must not wait for a
// message that can no longer come.
func TestSubscriberCloseWakesRead(t *testing.T) {
	r := &driver.Relay{}
	sub, err := r.Subscribe(relay.Path{App: "live", Key: "idle"}, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		_, err := sub.Read(context.Background())
		got <- err
	}()
	time.Sleep(20 * time.Millisecond) // let Read block
	sub.Close()
	select {
	case err := <-got:
		if !errors.Is(err, driver.ErrLocalClosed) {
			t.Errorf("Read after Close: %v; want ErrLocalClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Read stayed blocked after Close")
	}
}
