package sim

import "github.com/gortmp/rtmp/core"

// RequestOf returns the request id of an effect that waits for Accept or
// Reject.
func RequestOf(e core.Effect) (core.RequestID, bool) {
	switch e := e.(type) {
	case core.ConnectionRequested:
		return e.Request, true
	case core.PublishStreamRequested:
		return e.Request, true
	case core.PlayStreamRequested:
		return e.Request, true
	}
	return 0, false
}

func accept(id core.RequestID) core.Input { return core.Accept{Request: id} }
