package client

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// The capability flags of the connect object, the values FFmpeg and OBS
// send: every legacy audio codec, every legacy video codec, and seek by
// frame.
const (
	connectCapabilities  = 15
	connectAudioCodecs   = 4071
	connectVideoCodecs   = 252
	connectVideoFunction = 1
)

// connect sends our chunk size, our window when configured, and the
// connect command.
func (s *Session) connect(fx []Effect, in Connect) []Effect {
	if s.phase != phaseIdle {
		return misuse(fx, "connect sent twice")
	}
	flashVer := in.FlashVer
	if flashVer == "" {
		flashVer = s.cfg.FlashVer
	}
	obj := amf0.Object{
		{Key: "app", Value: in.App},
		{Key: "type", Value: "nonprivate"},
		{Key: "flashVer", Value: flashVer},
		{Key: "tcUrl", Value: in.TCURL},
		{Key: "fpad", Value: false},
		{Key: "capabilities", Value: float64(connectCapabilities)},
		{Key: "audioCodecs", Value: float64(connectAudioCodecs)},
		{Key: "videoCodecs", Value: float64(connectVideoCodecs)},
		{Key: "videoFunction", Value: float64(connectVideoFunction)},
		{Key: "objectEncoding", Value: in.ObjectEncoding},
	}
	obj = append(obj, in.Extra...)
	fx = send(fx, 0, 0, message.SetChunkSize{Size: s.cfg.ChunkSize})
	fx = append(fx, ChangeChunkSize{Size: s.cfg.ChunkSize})
	if s.cfg.Window != 0 {
		// Announced, so a Set Peer Bandwidth of the same size needs no
		// answer.
		s.bytes.bandwidth.Announced(s.cfg.Window)
		fx = send(fx, 0, 0, message.WindowAckSize{Size: s.cfg.Window})
	}
	s.phase = phaseConnecting
	if in.ObjectEncoding == 3 {
		s.objectEncoding = 3
	}
	return send(fx, 0, 0, message.Command{
		Name: "connect", TransactionID: connectTransaction, Object: obj, Args: in.Args,
	})
}

// connected handles the answer to connect: _result opens the connection,
// _error fails it and ends the session.
func (s *Session) connected(fx []Effect, cmd message.Command) []Effect {
	props, _ := amf0.Properties(cmd.Object)
	info := firstObject(cmd.Args)
	if cmd.Name == "_result" {
		s.phase = phaseConnected
		return append(fx, Connected{Properties: props, Info: info})
	}
	return s.connectFailed(fx, info)
}

// connectFailed reports a refused connect and ends the session.
func (s *Session) connectFailed(fx []Effect, info amf0.Object) []Effect {
	code, _ := info.String("code")
	description, _ := info.String("description")
	if code == "" {
		code = "NetConnection.Connect.Failed"
	}
	fx = append(fx, ConnectFailed{Code: code, Description: description, Info: info})
	s.phase = phaseIdle // answered: terminate must not fail it again
	return s.terminate(fx, ConnectFailedError{Code: code, Description: description})
}

// firstObject returns the first argument's properties, or nil.
func firstObject(args []amf0.Value) amf0.Object {
	if len(args) == 0 {
		return nil
	}
	props, _ := amf0.Properties(args[0])
	return props
}
