package message

// The outbound chunk stream ids: one policy for every sender in this
// module, so that two writers on one connection never share a chunk
// stream by accident.
//
// Protocol control and user control messages go on chunk stream 2, as the
// specification asks. Each other kind of traffic gets a chunk stream of
// its own, so that a large video message never holds up a command and each
// kind keeps its own header state for compression:
//
//	protocol and user control                   2
//	commands and data on message stream 0       3
//	commands and data on any other stream       5
//	audio, on any message stream                6
//	video, on any message stream                7
//
// Chunk stream 4 is left unused. Streams share the ids for commands, audio
// and video; that costs header compression when several streams interleave,
// never correctness, because an encoder writes each message whole and
// switches to a type-0 header when the message stream id changes. All ids
// fit the 1-byte basic header.
//
// Media fanned out by a relay is encoded once for many connections, outside
// each session's encoder. An encoder's header compression must never meet
// chunks it did not write on its streams, so fanned-out media keeps to ids
// the sessions never use: FanOutAudioChunkStreamID, FanOutVideoChunkStreamID
// and FanOutDataChunkStreamID.
const (
	ControlChunkStreamID       = 2
	CommandChunkStreamID       = 3
	StreamCommandChunkStreamID = 5
	AudioChunkStreamID         = 6
	VideoChunkStreamID         = 7

	FanOutAudioChunkStreamID = 8
	FanOutVideoChunkStreamID = 9
	FanOutDataChunkStreamID  = 10
)

// ChunkStreamID is the outbound chunk stream id for body b on message
// stream streamID; see the policy above. A nil body counts as a command.
func ChunkStreamID(b Body, streamID uint32) uint32 {
	if b != nil {
		switch b.Type() {
		case TypeSetChunkSize, TypeAbort, TypeAcknowledgement, TypeUserControl,
			TypeWindowAckSize, TypeSetPeerBandwidth:
			return ControlChunkStreamID
		case TypeAudio:
			return AudioChunkStreamID
		case TypeVideo:
			return VideoChunkStreamID
		}
	}
	if streamID == 0 {
		return CommandChunkStreamID
	}
	return StreamCommandChunkStreamID
}
