package main

import (
	"fmt"
	"net"
	"time"

	"github.com/bluenviron/gortmplib"
)

// serve accepts one connection on addr, which must publish, and prints
// its media until the marker.
func serve(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	fmt.Println("# listening", ln.Addr())
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(30 * time.Second))
	nc, err := ln.Accept()
	if err != nil {
		return err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(30 * time.Second))
	sc := &gortmplib.ServerConn{RW: nc}
	if err := sc.Initialize(); err != nil {
		return fmt.Errorf("handshake and connect: %w", err)
	}
	if err := sc.AcceptConn(); err != nil {
		return fmt.Errorf("accept: %w", err)
	}
	if !sc.Publish {
		return fmt.Errorf("the client plays %v; only publishing is served", sc.URL)
	}
	if err := sc.AcceptAction(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	fmt.Println("# publishing", sc.URL.Path)
	return readToMarker(sc)
}
