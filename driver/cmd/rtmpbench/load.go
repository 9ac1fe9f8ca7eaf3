package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gortmp/rtmp/driver/internal/loadsummary"
)

// loadResult is what one load run delivered.
type loadResult struct {
	load loadsummary.Summary
	// dumps is how many rtmpdump players ran, dumpShort how many of them
	// wrote less than 95% of what they could have, dumpBytes their output.
	dumps, dumpShort int
	dumpBytes        int64
}

// delivered is every media byte the players received.
func (r loadResult) delivered() int64 { return r.load.TotalBytes + r.dumpBytes }

// short is every player that got less than 95%.
func (r loadResult) short() int { return r.load.Short + r.load.Failed + r.dumpShort }

// loadSpec is the load of one measure.
type loadSpec struct {
	// players rtmpload players dial at the start (spread over the
	// publishers' streams), late more join one at a time, dumps rtmpdump
	// players join once the stream runs.
	players, late, dumps int
	// publishers publish the media each to its own stream.
	publishers int
	// playDelay is how long after the publishers the players dial.
	playDelay time.Duration
}

// runLoad publishes the media to url for d and plays it as spec says.
func runLoad(ctx context.Context, t *tools, tag, url string, spec loadSpec, d time.Duration) (loadResult, error) {
	var res loadResult
	dumps := spec.dumps
	logFile := filepath.Join(t.dir, tag+"-rtmpload.log")
	var out bytes.Buffer
	args := []string{"-url", url, "-file", t.media, "-players", fmt.Sprint(spec.players), "-late", fmt.Sprint(spec.late),
		"-publishers", fmt.Sprint(max(spec.publishers, 1)), "-duration", d.String(), "-grace", "1s", "-json"}
	if spec.playDelay > 0 {
		args = append(args, "-play-delay", spec.playDelay.String())
	}
	cmd := exec.CommandContext(ctx, t.rtmpload, args...)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return res, err
	}
	loadDone := make(chan error, 1)
	go func() { loadDone <- cmd.Wait() }()

	// rtmpdump players join a second in and leave a second before the
	// publisher stops, so that each can get everything while it plays.
	var dumpErr error
	if dumps > 0 && t.rtmpdump != "" && d > 3*time.Second {
		if err := waitCtx(ctx, time.Second); err == nil {
			res.dumps, res.dumpShort, res.dumpBytes, dumpErr = runDumps(ctx, t, tag, url, dumps, d-2*time.Second)
		}
	}
	err := <-loadDone
	os.WriteFile(logFile, out.Bytes(), 0o644)
	if err != nil {
		return res, fmt.Errorf("rtmpload: %v (see %s)", err, logFile)
	}
	if dumpErr != nil {
		return res, dumpErr
	}
	res.load, err = lastJSON(out.Bytes())
	if err != nil {
		return res, fmt.Errorf("rtmpload summary: %v (see %s)", err, logFile)
	}
	return res, nil
}

// lastJSON decodes the summary line rtmpload printed last.
func lastJSON(b []byte) (loadsummary.Summary, error) {
	var s loadsummary.Summary
	var last []byte
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if l := bytes.TrimSpace(sc.Bytes()); len(l) > 0 && l[0] == '{' {
			last = append(last[:0], l...)
		}
	}
	if last == nil {
		return s, fmt.Errorf("no JSON line in the output")
	}
	return s, json.Unmarshal(last, &s)
}

// runDumps runs k rtmpdump players on url for d, then stops them with
// SIGINT, and returns how many ran, how many fell short and their bytes.
// Short means an output under 95% of the media's byte rate times d.
func runDumps(ctx context.Context, t *tools, tag, url string, k int, d time.Duration) (ran, short int, total int64, err error) {
	st, err := os.Stat(t.media)
	if err != nil {
		return 0, 0, 0, err
	}
	rate := float64(st.Size()) / mediaSeconds(t)
	files := make([]string, k)
	cmds := make([]*exec.Cmd, 0, k)
	dones := make([]chan struct{}, 0, k)
	for i := range files {
		files[i] = filepath.Join(t.dir, fmt.Sprintf("%s-dump%d.flv", tag, i))
		c := exec.Command(t.rtmpdump, "-q", "-v", "-r", url, "-o", files[i])
		if err := c.Start(); err != nil {
			break
		}
		done := make(chan struct{})
		go func() { c.Wait(); close(done) }()
		cmds, dones = append(cmds, c), append(dones, done)
	}
	started := time.Now()
	waitCtx(ctx, d)
	for _, c := range cmds {
		c.Process.Signal(syscall.SIGINT)
	}
	played := time.Since(started).Seconds()
	for i, c := range cmds {
		select {
		case <-dones[i]:
		case <-time.After(5 * time.Second):
			c.Process.Kill()
			<-dones[i]
		}
	}
	for i := range cmds {
		var n int64
		if fi, err := os.Stat(files[i]); err == nil {
			n = fi.Size()
		}
		total += n
		if float64(n) < 0.95*rate*played {
			short++
		}
		os.Remove(files[i])
	}
	return len(cmds), short, total, nil
}

// mediaSeconds is the length of the generated media.
func mediaSeconds(t *tools) float64 { return t.mediaLen.Seconds() }
