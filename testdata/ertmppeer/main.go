// Command ertmppeer is an independent Enhanced RTMP peer for the interop
// tests: it speaks RTMP through bluenviron's gortmplib, not through this
// repository's code, so the tests compare the server and client against
// another implementation. It is a nested module so that the main module
// does not depend on gortmplib.
//
//	ertmppeer publish URL SCRIPT   publish the tracks and frames of SCRIPT
//	ertmppeer play URL             play URL until an onTextData marker
//	ertmppeer serve ADDR           accept one publisher on ADDR until the marker
//
// Every media message written (publish) or read (play, serve) is printed to
// stdout as one JSON record (see record); other lines are prefixed with
// "# ". publish reads commands from stdin: "send N" writes the next N
// frames and answers "# sent", "end" writes the marker and exits. Errors go
// to stderr with exit status 1.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: ertmppeer publish URL SCRIPT | play URL | serve ADDR")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "publish":
		if len(os.Args) != 4 {
			err = fmt.Errorf("publish needs URL and SCRIPT")
			break
		}
		err = publish(os.Args[2], os.Args[3])
	case "play":
		err = play(os.Args[2])
	case "serve":
		err = serve(os.Args[2])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ertmppeer:", err)
		os.Exit(1)
	}
}
