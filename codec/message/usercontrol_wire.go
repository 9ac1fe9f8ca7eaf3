package message

// User Control messages (type 4): a 16-bit event type and event data.

// decodeUserControl returns one body type per known event; any other
// event type is kept, with its data, as UnknownUserControl.
func decodeUserControl(p []byte) (Body, error) {
	if len(p) < 2 {
		return nil, short(TypeUserControl, "User Control event type", 2, len(p))
	}
	event, data := EventType(be.Uint16(p)), p[2:]
	need := 4
	switch event {
	case EventSetBufferLength:
		need = 8
	case EventStreamBegin, EventStreamEOF, EventStreamDry, EventStreamIsRecorded,
		EventPingRequest, EventPingResponse:
	default:
		return UnknownUserControl{Event: event, Data: data}, nil
	}
	if len(data) < need {
		return nil, short(TypeUserControl, "User Control event data", need, len(data))
	}
	v := be.Uint32(data)
	switch event {
	case EventStreamBegin:
		return StreamBegin{StreamID: v}, nil
	case EventStreamEOF:
		return StreamEOF{StreamID: v}, nil
	case EventStreamDry:
		return StreamDry{StreamID: v}, nil
	case EventSetBufferLength:
		return SetBufferLength{StreamID: v, Milliseconds: be.Uint32(data[4:])}, nil
	case EventStreamIsRecorded:
		return StreamIsRecorded{StreamID: v}, nil
	case EventPingRequest:
		return PingRequest{Timestamp: v}, nil
	default:
		return PingResponse{Timestamp: v}, nil
	}
}

// appendUserControl writes a user-control body; b is one of the
// user-control types.
func appendUserControl(dst []byte, b Body) []byte {
	event := func(e EventType, v uint32) []byte {
		return be.AppendUint32(be.AppendUint16(dst, uint16(e)), v)
	}
	switch b := b.(type) {
	case StreamBegin:
		return event(EventStreamBegin, b.StreamID)
	case StreamEOF:
		return event(EventStreamEOF, b.StreamID)
	case StreamDry:
		return event(EventStreamDry, b.StreamID)
	case SetBufferLength:
		return be.AppendUint32(event(EventSetBufferLength, b.StreamID), b.Milliseconds)
	case StreamIsRecorded:
		return event(EventStreamIsRecorded, b.StreamID)
	case PingRequest:
		return event(EventPingRequest, b.Timestamp)
	case PingResponse:
		return event(EventPingResponse, b.Timestamp)
	case UnknownUserControl:
		return append(be.AppendUint16(dst, uint16(b.Event)), b.Data...)
	}
	return dst
}
