// Package live is a live relay server: Relay is a ready driver.Handler
// (it is what driver/cmd/rtmpd runs). core/relay decides who gets what,
// and Relay encodes each media message once per chunk size and message
// stream id (driver.Frame) and queues the same bytes to every player.
// Relay.PublishLocal and
// Relay.Subscribe publish and play a path from inside the process, and
// Relay.Link starts links to other servers: a push publishes every local
// stream to them (an origin), a pull fetches a stream a player asks for
// that has no publisher here (an edge); both reconnect with backoff.
// LinkConfig.Record also writes every published stream to an FLV file,
// or a fragmented MP4 one (LinkConfig.RecordFormat, codec/fmp4).
// LinkConfig.Cluster makes the relay a node of a cluster sharing a
// relay.Directory (driver/cluster keeps one in Redis): a network publish
// claims its path for the node, under a fenced lease, and a play of a path
// published on another node pulls from the owner and follows it when it
// changes.
// Relay.PlayHTTPFLV serves a player on an HTTP/1.1 connection taken over
// from net/http (driver/httpflv does it) with the same shared bytes and
// direct writes as RTMP players, and with Relay.MergeWrites the same
// merged writes as driver.Config.MergeWrites. Relay.Authorize decides
// publishes and plays; Relay.Streams reports every path, with its viewers
// (remote players, Relay.SubscribeViewer's included) apart from its
// in-process readers (Relay.Subscribe: an HLS segmenter, a recording, a
// push).
package live
