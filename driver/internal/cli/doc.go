// Package cli holds what the commands under driver/cmd share: the shape of
// main. A command parses its flags, runs until its work is done or the
// process gets SIGINT or SIGTERM, and ends with a status that tells a
// script what went wrong: 2 for bad flags, 1 for a failed run, 0 otherwise
// (asking for -help included).
package cli
