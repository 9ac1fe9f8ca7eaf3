// Package cluster keeps a cluster's stream directory in Redis: which node
// owns which published path, so that a play on any node finds the stream
// wherever it is published.
//
// A node that gets a publish claims APP/KEY with its advertised RTMP URL
// (rtmp://HOST:PORT, what the other nodes dial) under a lease, refreshes
// the lease while the publication lives and releases it when the
// publication ends; a node that dies or is cut off from Redis lets its
// lease expire. A play of a path that is not published on the node looks
// the owner up and pulls from it, and follows it when the publisher moves
// to another node. What to do and when is decided by the pure relay.Claim
// and relay.Follow (core/relay); package live carries it out with a
// relay.Directory, of which Redis is the first.
//
// # Ownership is fenced
//
// Each claim gets a token higher than every earlier one; a refresh
// succeeds only with the current token. An owner counts its lease from
// when it sent the claim or refresh, before Redis started counting it, so
// it stops believing it owns the path before Redis lets another node
// claim it: a node stopped (SIGSTOP) or cut off past its lease is no
// longer the owner as soon as it runs again, logs it ("lease lost"), and
// ends its publication when it finds another node's claim; no two nodes
// ever serve one path as its owner.
//
// # In Redis
//
// Each call is one Lua script, atomic on the server:
//
//	rtmp:owner:APP/KEY  "TOKEN URL", expiring with the lease (SET NX PX)
//	rtmp:token          the token counter
//	rtmp:up, rtmp:grace written on the first write after Redis started
//
// A claim sets the owner key with SET NX PX; a refresh extends it with
// PEXPIRE only if it still holds the caller's token and URL; a release
// deletes it only then. Redis restarted without persistence has forgotten
// every owner: for one lease it takes no claim (rtmp:grace), while each
// owner's refresh writes its key back, and its tokens go on from Redis's
// clock in microseconds, above those of its earlier lives. Running
// streams go on through a Redis outage; claims and look-ups fail with
// ErrStore and are retried with backoff. An owner that cannot refresh for
// a whole lease stops being the owner (another node may be by then) but
// serves on and claims again: it owns the path again if nobody took it,
// and ends its publication if another node did.
//
// Every node of a cluster uses the same Redis database and the same
// lease.
package cluster
