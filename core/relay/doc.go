// Package relay decides how a live stream goes from one publisher to many
// players: which path has which publisher and players, what a late player
// receives first so it starts on a keyframe at once, and what a slow player
// loses so it never stalls the publisher or the others.
//
// Like the session in package core, it is pure: no I/O, goroutines, clock,
// randomness or logging. Time is the media timestamps it is given, so a
// simulation can drive a whole server deterministically. Unlike the session
// it is a mutable value, because one stream is shared by many connections:
// a Registry (changed on publish, play and leave) maps paths to Streams
// (changed per media message), and a concurrent caller guards the registry
// with one lock and each stream with its own.
//
// A server's loop: each connection has a Conn, which takes the session's
// events and decides, under a Policy, what the relay does with them: the
// keys and the authorizer (an Authorize effect, answered with
// Conn.Authorized), taking a path over or refusing a second publisher,
// joining and leaving streams (effects the caller applies with Conn.Apply
// while it guards the stream), data and metadata to fan out, and the
// notices that go with them. A driver carries the effects out with its
// sockets and locks; a simulation with its own; neither decides anything.
// Push and pull links retry by Retry and are started and stopped by Pulls,
// with the time as an input.
//
// The loop of a caller of a Stream alone:
//
//	s := reg.Stream(path)
//	fx, err := s.Publish(publisherID)  // or s.Play(playerID): fast-start Sends
//	s.Media(m, &fanout)                // per message: fanout.To get m
//	s.Written(playerID, n)             // as each player's bytes leave its queue
//	fx = s.Leave(id)                   // publisher leaving: PublishStopped
//
// Queue accounting is in Media.Cost units, which the caller reports back
// with Written; the relay never sees bytes on a wire.
//
// Besides audio, video and metadata (cached, sent first to a late player,
// forgotten on ClearMetadata), a stream relays every other data message a
// publisher sends (onTextData, onCuePoint, onCaption: Kind Data) to every
// player in order with the media; those are not cached.
//
// Timestamps: the first publisher's pass unchanged. When a publisher leaves
// and another takes over while players wait, the players get Stream EOF
// and Stream Begin (PublishStopped, PublishStarted) and the new publisher's
// timestamps are shifted to continue 1 ms after the latest the stream sent,
// spacing kept. nginx-rtmp forwards the new publisher's own timestamps
// after Stream Begin, so a waiting player sees the clock jump back, which
// some players take for a stall; SRS, by default, rewrites each player's
// timestamps to run on. Continuing suits both kinds of player: one that
// resets on Stream Begin does not care where the clock resumes, and one
// that does not reset never sees it go back.
//
// Enhanced RTMP media (hvc1, av01, vp09, Opus, fLaC, ac-3, ec-3, ...) passes
// through untouched. The fast-start cache is per track: each track's latest
// configuration (sequence start, audio channel configuration), forgotten on
// that track's sequence end, and each video track's frames since its own
// last keyframe, so a late player starts every track on a keyframe of that
// track; live, too, a track reaches a player from its keyframe on. Each
// player has a View, chosen from what it declared in connect: ViewAll for a
// player that reads multitrack, ViewDefaultTrack (track 0 as a plain
// single-track stream) for other Enhanced RTMP players, ViewLegacy (legacy
// tags only, avc1 and mp4a turned into their legacy form) for players that
// declared nothing. A message is never sent in a form the view cannot read.
// Fanout.Payload gives each view's bytes once per message, so a caller
// encodes once per view.
//
// Reading is liberal where that is safe: the reserved frame type 0 that
// some libraries write on every Enhanced RTMP video message is resolved
// from the packet type and the bitstream (codec/keyframe). What still
// cannot be read is Unreadable: it reaches ViewAll players only, and
// Fanout.Unreadable says why, for the caller to count and log.
package relay
