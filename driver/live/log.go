package live

import (
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// logEnd logs, at Info, that a publisher or player of a connection ended,
// and why: the connection's end reason if it is ending (a timeout, the
// peer gone, a takeover, a slow player dropped, a budget passed, the
// server's shutdown), else what the client did, given as byClient.
func logEnd(c *driver.Conn, msg string, p relay.Path, role, byClient string) {
	reason := byClient
	if err := c.EndReason(); err != nil {
		reason = err.Error()
	}
	c.Logger().Info(msg, "path", p.String(), "role", role, "reason", reason)
}
