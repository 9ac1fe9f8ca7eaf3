// Package loadsummary is the contract between rtmpload and rtmpbench: the
// one JSON line with which rtmpload -json ends its output, and which
// rtmpbench reads back. Durations are in milliseconds or seconds, as the
// field names say.
package loadsummary
