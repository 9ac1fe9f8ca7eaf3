package driver

import (
	"context"

	"github.com/gortmp/rtmp/core/relay"
)

// AuthRequest is what a Relay's Authorize decides on: one publish or play.
type AuthRequest struct {
	// Action is "publish" or "play".
	Action string
	Path   relay.Path
	// Query is the stream name's query string (after '?'), as sent;
	// ConnectQuery the connect URL's. An HTTP-FLV play has its URL's
	// query in both.
	Query, ConnectQuery string
	// What the client's connect said; empty for HTTP-FLV.
	TCURL, FlashVer, SWFURL, PageURL string
	// Remote is the client's address, host:port.
	Remote string
}

// authorize runs the Relay's Authorize, if any.
func (r *Relay) authorize(ctx context.Context, req AuthRequest) error {
	if r.Authorize == nil {
		return nil
	}
	return r.Authorize(ctx, req)
}

// authRequest fills an AuthRequest with what the connection said.
func authRequest(c *Conn, rc *relayConn, action string, p relay.Path, query string) AuthRequest {
	return AuthRequest{
		Action: action, Path: p, Query: query, ConnectQuery: rc.query,
		TCURL: rc.tcURL, FlashVer: rc.flashVer, SWFURL: rc.swfURL, PageURL: rc.pageURL,
		Remote: c.RemoteAddr().String(),
	}
}
