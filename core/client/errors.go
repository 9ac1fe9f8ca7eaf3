package client

import "fmt"

// The error types are plain values with exported fields, so go-cmp and
// errors.As both work on them.

// ConnectFailedError says the server refused the connect; the session
// closes with it.
type ConnectFailedError struct {
	Code        string
	Description string
}

func (e ConnectFailedError) Error() string {
	return fmt.Sprintf("rtmp client: connect refused: %s: %s", e.Code, e.Description)
}

// UsageError is a misuse of the session by its caller: a request in the
// wrong state, a stream that does not exist, a request id in use.
type UsageError struct{ Problem string }

func (e UsageError) Error() string { return "rtmp client: misuse: " + e.Problem }
