package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/internal/testcert"
)

// packetHashes lists a media file's packets as ffmpeg's framemd5 sees
// them, stream, size and hash, without timestamps.
func packetHashes(t *testing.T, ffmpeg, file string) []string {
	t.Helper()
	out, err := exec.Command(ffmpeg, "-loglevel", "error", "-i", file, "-c", "copy", "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("framemd5 of %s: %v", file, err)
	}
	var lines []string
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, ",")
		if len(f) == 6 && !strings.HasPrefix(l, "#") {
			lines = append(lines, strings.TrimSpace(f[0])+","+strings.TrimSpace(f[4])+","+strings.TrimSpace(f[5]))
		}
	}
	return lines
}

// TestRunHTTPS: with -https-listen, ffmpeg plays over HTTP-FLV in TLS
// (https://) and over RTMPT in TLS (rtmpts://) what ffmpeg publishes over
// RTMP, packet for packet, and publishes over rtmpts:// too.
func TestRunHTTPS(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-320x240.flv")
	certFile, keyFile := testcert.Files(t)
	r := startRunning(t, options{listen: "127.0.0.1:0", httpsListen: "127.0.0.1:0", tlsCert: certFile, tlsKey: keyFile, stats: true, logLevel: "warn"})
	addrs := r.addrs
	if addrs[addrHTTPS] == nil || addrs[addrHTTP] != nil {
		t.Fatalf("addresses %v, want RTMP and HTTPS", addrs)
	}
	host := addrs[addrHTTPS].String()
	if banner := r.out.String(); !strings.Contains(banner, "ffplay -tls_verify 0 'https://"+host+"/live/demo.flv'") {
		t.Errorf("banner lacks the HTTPS-FLV line:\n%s", banner)
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer ccancel()
	dir := t.TempDir()
	want := packetHashes(t, ffmpeg, sample)

	// play starts an ffmpeg player writing to file. (Its HTTPS client
	// takes -tls_verify, its RTMPT one no option, and neither checks the
	// certificate by default.)
	play := func(url, file string) (*exec.Cmd, *bytes.Buffer) {
		var stderr bytes.Buffer
		p := exec.CommandContext(cctx, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", file)
		p.Stderr = &stderr
		if err := p.Start(); err != nil {
			t.Fatal(err)
		}
		return p, &stderr
	}
	publish := func(url string) {
		if b, err := exec.CommandContext(cctx, ffmpeg, "-loglevel", "error", "-re", "-i", sample, "-c", "copy", "-f", "flv", url).CombinedOutput(); err != nil {
			t.Errorf("publishing to %s: %v\n%s", url, err, b)
		}
	}

	flvFile, tunnelFile := filepath.Join(dir, "https.flv"), filepath.Join(dir, "rtmpts.flv")
	flvPlayer, flvErr := play("https://"+host+"/live/a.flv", flvFile)
	tunnelPlayer, tunnelErr := play("rtmpts://"+host+"/live/a", tunnelFile)
	waitPlayers(t, "https://"+host, "live", "a", 2) // they wait for the publisher
	publish("rtmp://" + addrs[addrRTMP].String() + "/live/a")
	if err := flvPlayer.Wait(); err != nil {
		t.Fatalf("playing over HTTPS-FLV: %v\n%s", err, flvErr)
	}
	if got := packetHashes(t, ffmpeg, flvFile); !slices.Equal(got, want) {
		t.Errorf("HTTPS-FLV copy: %d packets, the sample %d, or they differ", len(got), len(want))
	}
	if err := tunnelPlayer.Wait(); err != nil {
		t.Fatalf("playing over RTMPTS: %v\n%s", err, tunnelErr)
	}
	if got := packetHashes(t, ffmpeg, tunnelFile); !slices.Equal(got, want) {
		t.Errorf("RTMPTS copy: %d packets, the sample %d, or they differ\n%s", len(got), len(want), tunnelErr)
	}

	// ffmpeg's RTMPT client drops what it buffered since its last read
	// when it closes, so what it publishes over RTMPTS may lack the last
	// packets: the copy must be the sample's first ones, unaltered.
	flvFile = filepath.Join(dir, "published-over-rtmpts.flv")
	flvPlayer, flvErr = play("https://"+host+"/live/b.flv", flvFile)
	waitPlayers(t, "https://"+host, "live", "b", 1)
	publish("rtmpts://" + host + "/live/b")
	if err := flvPlayer.Wait(); err != nil {
		t.Fatalf("playing over HTTPS-FLV: %v\n%s", err, flvErr)
	}
	if got := packetHashes(t, ffmpeg, flvFile); len(got) < len(want)/2 || !slices.Equal(got, want[:len(got)]) {
		t.Errorf("published over RTMPTS: %d packets of the sample's %d, or they differ", len(got), len(want))
	}
	r.stop(t)
}
