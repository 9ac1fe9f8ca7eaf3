package relay

// AuthRequest is what an authorizer decides on: one publish or play.
type AuthRequest struct {
	// Action is "publish" or "play".
	Action string
	Path   Path
	// Query is the stream name's query string (after '?'), as sent;
	// ConnectQuery the connect URL's. An HTTP-FLV play has its URL's
	// query in both.
	Query, ConnectQuery string
	// What the client's connect said; empty for HTTP-FLV.
	TCURL, FlashVer, SWFURL, PageURL string
	// Remote is the client's address, host:port.
	Remote string
}
