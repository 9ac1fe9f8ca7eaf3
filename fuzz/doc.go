// Package fuzz holds the fuzz targets of every decoder and of the whole
// server pipeline (handshake, chunk decoder, session, encoder) fed raw
// client bytes. Seed corpora live in testdata/fuzz/<Target>/.
//
// Run one target with, for example:
//
//	go test -run '^$' -fuzz '^FuzzChunkDecoder$' -fuzztime 30s ./fuzz/
package fuzz
