// Package golden is the golden-transcript harness of the session tests:
// a session stepped through inputs prints every input, a "----" line and
// the effects it produced, and the text is compared with a file in
// testdata/sessions. Running the tests with -rewrite regenerates the files
// instead; a file that no scenario produces any more fails the test.
//
// Only tests import this package: it registers the -rewrite flag and
// depends on package testing. Like all of core/ it does no I/O itself: the
// test hands Check a Dir that reads and writes the transcript files.
package golden
