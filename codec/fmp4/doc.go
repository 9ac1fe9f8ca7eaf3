// Package fmp4 writes and reads fragmented MP4 (ISO BMFF with movie
// fragments), the container of HLS, low-latency HLS, DASH and MP4
// recordings, for the codecs the relay carries: H.264, H.265, AV1 and VP9
// video, AAC, Opus, MP3, FLAC, AC-3 and E-AC-3 audio.
//
// It is pure and allocation-aware: AppendInit and AppendFragment append to
// a caller's buffer, and nothing reads a clock or does I/O.
//
//   - AppendInit writes an init segment (ftyp, moov with one trak per
//     Track and an mvex) for a track set.
//   - AppendFragment writes one fragment (moof with a traf per Run, then
//     mdat). Samples carry their duration, size, composition offset
//     (trun version 1: signed, so B-frames need no edit list) and sync
//     flag; starting fragments on keyframes is the caller's part.
//   - Parse reads init segments and fragments back (also those other
//     muxers write: trex and tfhd defaults, several truns a traf), and
//     Boxes splits bytes into top-level boxes. Bad input is an error
//     wrapping ErrMalformed, with memory in proportion to the input.
//   - Tags turns relay messages (FLV audio and video tag bodies, legacy
//     and Enhanced RTMP: FourCC, ModEx, multitrack, sequence starts,
//     composition times) into tracks and samples; codec/flv does the
//     header parsing. Video tracks count time at 90 kHz, audio tracks at
//     their sampling rate; decode times are the message timestamps (with
//     any ModEx nanosecond offset), extended past their 32-bit wrap. A new or changed decoder configuration is an
//     event: the track set changed and a new init segment is needed.
//   - Muxer queues Tags' samples, gives each the duration to its track's
//     next sample, and writes fragments when asked (at a keyframe, say).
//
// The sample entries follow the codecs' ISO BMFF bindings: avc1/avcC,
// hvc1/hvcC, av01/av1C, vp09/vpcC (version 1), mp4a/esds (object type
// 0x40 with the AudioSpecificConfig, 0x6B for MP3), Opus/dOps (converted
// from the little-endian OpusHead Enhanced RTMP carries), fLaC/dfLa, and
// ac-3/dac3 and ec-3/dec3, which Tags fills from the first frame's
// syncframe header as it does MP3's rate (those three have no sequence
// start; dec3 describes one independent substream). Legacy FLV codecs
// without an MP4 binding (VP6, Speex, Nellymoser, G.711, ...) are left
// out: Tags passes over them.
package fmp4
