package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/bluenviron/gortmplib"
)

// play plays a URL and prints its media until the marker.
func play(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := &gortmplib.Client{URL: u}
	if err := c.Initialize(ctx); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer c.Close()
	fmt.Println("# playing")
	return readToMarker(c)
}

// readToMarker prints the media conn reads until the marker, for at most
// 30 seconds.
func readToMarker(conn gortmplib.Conn) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		msg, err := conn.Read()
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if isMarker(msg) {
			fmt.Println("# marker")
			return nil
		}
		if err := emit(msg); err != nil {
			return err
		}
	}
	return fmt.Errorf("no marker in 30 s")
}
