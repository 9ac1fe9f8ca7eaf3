package driver

import "net"

// NetConn is the socket under a connection, for the external tests that
// look at its options.
func NetConn(c *Conn) net.Conn { return c.netc }

// NoDelay is noDelay for the external tests.
var NoDelay = noDelay
