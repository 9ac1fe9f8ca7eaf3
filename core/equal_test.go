package core_test

import (
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core"
)

// equalSessions compares sessions field by field, unexported state
// included.
func equalSessions(a, b core.Session) bool {
	return cmp.Equal(a, b, cmp.Exporter(func(reflect.Type) bool { return true }))
}
