package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/driver/dial"
)

// flvTags reads an HTTP-FLV response's tags as they come, on a channel
// that closes when the body ends; the error, if any, then follows.
func flvTags(t *testing.T, ctx context.Context, url string) (<-chan flv.Tag, <-chan error) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	tags, done := make(chan flv.Tag, 64), make(chan error, 1)
	go func() {
		defer resp.Body.Close()
		defer close(tags)
		r := flv.NewReader(resp.Body)
		if _, err := r.Header(); err != nil {
			done <- err
			return
		}
		for {
			tag, err := r.Next()
			if err != nil {
				done <- err
				return
			}
			tags <- tag
		}
	}()
	return tags, done
}

// takeTags takes n tags, failing if they are not there within d.
func takeTags(t *testing.T, tags <-chan flv.Tag, n int, d time.Duration, what string) []flv.Tag {
	t.Helper()
	timeout := time.After(d)
	var got []flv.Tag
	for len(got) < n {
		select {
		case tag, ok := <-tags:
			if !ok {
				t.Fatalf("%s: the body ended after %d of %d tags", what, len(got), n)
			}
			got = append(got, tag)
		case <-timeout:
			t.Fatalf("%s: %d of %d tags in %v", what, len(got), n, d)
		}
	}
	return got
}

// rtmpd -merge-writes holds HTTP-FLV players' live media too: with an
// hour's period, the fast start arrives at once, the live media only
// with the end of the stream, and a late player's fast start, the whole
// group, shows the relay had it all along.
func TestRunMergeWritesHoldsHTTPFLVLiveMedia(t *testing.T) {
	r := startRunning(t, options{listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", mergeWrites: time.Hour, logLevel: "warn"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pc, err := dial.Dial(ctx, "rtmp://"+r.addrs[addrRTMP].String()+"/live/merge")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pub, err := pc.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := []flv.Tag{
		{Type: flv.TagVideo, Data: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}},
		{Type: flv.TagVideo, Data: []byte{0x17, 1, 0, 0, 0, 0x65, 0x88, 0x80}},
	}
	for i := range 6 {
		sent = append(sent, flv.Tag{Type: flv.TagVideo, Timestamp: uint32(40 * (i + 1)), Data: []byte{0x27, 1, 0, 0, 0, 0x41, byte(i)}})
	}
	for _, tag := range sent[:2] {
		if err := pub.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	url := "http://" + r.addrs[addrHTTP].String() + "/live/merge.flv"
	// The player waits for the publisher's first messages if it comes
	// before them: then they reach it as live media, held an hour.
	waitGroup(t, ctx, url, 2)
	first, firstDone := flvTags(t, ctx, url)
	fast := takeTags(t, first, 2, 5*time.Second, "the fast start")
	for _, tag := range sent[2:] {
		if err := pub.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	waitGroup(t, ctx, url, len(sent))
	select {
	case tag := <-first:
		t.Fatalf("live media at %d ms arrived before any flush", tag.Timestamp)
	case <-time.After(300 * time.Millisecond):
	}
	pc.Close()
	rest := takeTags(t, first, len(sent)-2, 5*time.Second, "the live media, with the stream's end")
	select {
	case err := <-firstDone:
		if !errors.Is(err, io.EOF) {
			t.Errorf("the body ended with %v, want its end", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the body did not end with the stream")
	}
	if diff := cmp.Diff(sent, append(fast, rest...)); diff != "" {
		t.Errorf("the player's tags (-sent +read):\n%s", diff)
	}
}

// waitGroup waits until a new player's fast start holds n tags: the relay
// has fanned out that many. Each try is a player of its own that leaves.
func waitGroup(t *testing.T, ctx context.Context, url string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cctx, cancel := context.WithCancel(ctx)
		tags, _ := flvTags(t, cctx, url)
		got := 0
		timeout := time.After(200 * time.Millisecond)
	read:
		for got < n {
			select {
			case _, ok := <-tags:
				if !ok {
					break read
				}
				got++
			case <-timeout:
				break read
			}
		}
		cancel()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a new player's fast start has %d tags, want %d", got, n)
		}
	}
}
