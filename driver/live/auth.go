package live

import "github.com/gortmp/rtmp/core/relay"

// AuthRequest is what a Relay's Authorize decides on: one publish or play
// (see relay.AuthRequest).
type AuthRequest = relay.AuthRequest
