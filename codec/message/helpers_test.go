package message_test

import "github.com/google/go-cmp/cmp/cmpopts"

// equateEmpty makes nil and empty slices equal, as they are on the wire.
var equateEmpty = cmpopts.EquateEmpty()
