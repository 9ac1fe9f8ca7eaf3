//go:build race

package driver_test

// raceEnabled: the race detector allows 8128 live goroutines, which
// bounds how many connections a test may hold.
const raceEnabled = true
