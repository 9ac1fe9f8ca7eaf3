package core

import (
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// connect queues the connect request for the application. The reply, on
// Accept, uses the client's transaction id and echoes objectEncoding.
func (s *state) connect(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if s.phase != phaseAwaitingConnect {
		return s.unhandled(fx, streamID, cmd, "already connected")
	}
	props, ok := amf0.Properties(cmd.Object)
	if !ok {
		return s.violation(fx, "connect without a command object")
	}
	obj := amf0.Object(props)
	rawApp, ok := obj.String("app")
	if !ok {
		return s.violation(fx, "connect without an app")
	}
	app, query := splitQuery(rawApp)
	// A copy: the session keeps app for as long as it lives, and a string
	// of the decoded message would keep the whole message's memory.
	app = strings.Clone(strings.TrimRight(app, "/"))
	tcURL, _ := obj.String("tcUrl")
	if query == "" {
		_, query = splitQuery(tcURL)
	}
	encoding, _ := obj.Number("objectEncoding")
	if encoding != 3 {
		encoding = 0
	}
	flashVer, _ := obj.String("flashVer")
	swfURL, _ := obj.String("swfUrl")
	pageURL, _ := obj.String("pageUrl")

	client := readCapabilities(obj)
	var server Capabilities
	if client.Enhanced() {
		server = s.cfg.Capabilities
	}
	s.conn = connection{app: app, objectEncoding: encoding, txid: cmd.TransactionID, client: client, server: server}
	s.phase = phaseConnecting
	id := s.queueRequest(requestConnect, 0)
	return append(fx, ConnectionRequested{
		Request:        id,
		App:            app,
		Query:          query,
		TCURL:          tcURL,
		FlashVer:       flashVer,
		SWFURL:         swfURL,
		PageURL:        pageURL,
		ObjectEncoding: encoding,
		Object:         obj,
		Args:           cmd.Args,
		Client:         client.clone(),
		Server:         server.clone(),
	})
}
