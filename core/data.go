package core

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// data handles data messages; only a publishing stream takes them.
func (s *state) data(fx []Effect, m message.Message, d message.Data) []Effect {
	i, ok := s.findStream(m.StreamID)
	if !ok || s.streams[i].state != streamPublishing {
		return append(fx, MessageIgnored{m.StreamID, d.Type(), "stream is not publishing"})
	}
	st := s.streams[i]
	vs := d.Values
	name, _ := stringArg(vs, 0)
	switch name {
	case "@setDataFrame":
		if inner, _ := stringArg(vs, 1); inner == "onMetaData" {
			return s.metaData(fx, m, st, vs, 2)
		}
	case "onMetaData":
		return s.metaData(fx, m, st, vs, 1)
	case "@clearDataFrame":
		return append(fx, StreamMetaDataCleared{App: s.conn.app, StreamKey: st.key, StreamID: st.id})
	}
	return append(fx, DataReceived{
		App: s.conn.app, StreamKey: st.key, StreamID: st.id, Timestamp: m.Timestamp, Values: vs,
	})
}

// metaData raises StreamMetaDataChanged with every key of the object at
// vs[at], whether it came as an object or an ECMA array.
func (s *state) metaData(fx []Effect, m message.Message, st stream, vs []amf0.Value, at int) []Effect {
	var props []amf0.Property
	ok := false
	if at < len(vs) {
		props, ok = amf0.Properties(vs[at])
	}
	if !ok {
		return append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "onMetaData without an object"})
	}
	return append(fx, StreamMetaDataChanged{
		App: s.conn.app, StreamKey: st.key, StreamID: st.id, MetaData: amf0.ECMAArray(props),
	})
}
