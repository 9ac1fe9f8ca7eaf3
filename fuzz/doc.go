// Package fuzz holds the fuzz targets of every decoder and of the whole
// server pipeline (handshake, chunk decoder, session, encoder) fed raw
// client bytes. FuzzServerBytes starts at the handshake; FuzzServerChunks
// starts right after it, so that its short inputs spend every mutation on
// chunks and commands and reach publishing and playing many times faster.
// Seed corpora live in testdata/fuzz/<Target>/; the server targets'
// synthesized seeds are rewritten with
//
//	go test -run 'TestServer.*Seeds' ./fuzz/ -rewrite-server-corpus
//
// and the fragmented MP4 targets' seeds (FuzzFMP4Parse, FuzzFMP4Tags) with
// -run TestFMP4Seeds -rewrite-fmp4-corpus.
//
// Run one target with, for example:
//
//	go test -run '^$' -fuzz '^FuzzChunkDecoder$' -fuzztime 30s ./fuzz/
package fuzz
