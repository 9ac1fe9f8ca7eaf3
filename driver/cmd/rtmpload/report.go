package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"syscall"
	"time"

	"github.com/gortmp/rtmp/driver/internal/loadsummary"
)

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sample is one per-second line.
type sample struct {
	at        time.Duration
	connected int
	published int64
	messages  int64
	bytes     int64
	cpu       time.Duration
}

func take(at time.Duration, pubs []*publisherStats, players []*player) sample {
	s := sample{at: at, cpu: cpuTime()}
	for _, pub := range pubs {
		s.published += pub.messages.Load()
	}
	for _, p := range players {
		if p.connected.Load() {
			s.connected++
		}
		s.messages += p.messages.Load()
		s.bytes += p.bytes.Load()
	}
	return s
}

func (s sample) print(w io.Writer, prev sample, players int) {
	dt := (s.at - prev.at).Seconds()
	fmt.Fprintf(w, "t=%3.0fs players=%d/%d published=%d received=%d msgs (%.0f/s) %.1f Mbit/s cpu=%.0f%%\n",
		s.at.Seconds(), s.connected, players, s.published, s.messages,
		float64(s.messages-prev.messages)/dt, float64(s.bytes-prev.bytes)*8/1e6/dt,
		100*(s.cpu-prev.cpu).Seconds()/dt)
}

// Summary is the end-of-run report.
type Summary struct {
	Players, Connected, Failed int
	// Publishers is how many streams were published; Published and
	// PublishedBytes count their audio and video messages and payload
	// bytes, all together.
	Publishers                int
	Published, PublishedBytes int64
	// Messages and Bytes are per player: min, median, max.
	Messages, Bytes [3]int64
	// TotalBytes is the media payload received by all players together.
	TotalBytes int64
	// Behind counts players that dropped messages or whose last message
	// was more than a second of stream time older than the publisher's;
	// Short counts players that got less than 95% of what was published
	// while they played.
	Behind, Short int
	// ClientDropped counts players whose own play queue overflowed: the
	// load tool, not the server, failed to keep up.
	ClientDropped int
	// FirstKeyframe is play-to-first-keyframe: median and p99.
	FirstKeyframe [2]time.Duration
	// Late, LateFailed and LateFirstKeyframe are the same for the players
	// that joined one at a time while the stream ran (-late); they count
	// nowhere else.
	Late, LateFailed  int
	LateFirstKeyframe [2]time.Duration
	// Delay is how much later than each player's most punctual message
	// its messages arrived (see delays): median, p99 and p99.9 over all
	// messages of all players.
	Delay [3]time.Duration
	CPU   time.Duration
	Wall  time.Duration
	// FirstError is one player's error, to tell why players failed.
	FirstError error
}

func summarize(pubs []*publisherStats, players []*player, cpu, wall time.Duration) Summary {
	s := Summary{Players: len(players), Publishers: len(pubs), CPU: cpu, Wall: wall}
	for _, pub := range pubs {
		s.Published += pub.messages.Load()
		s.PublishedBytes += pub.bytes.Load()
	}
	var msgs, bytes []int64
	var firsts, lates []time.Duration
	for _, p := range players {
		if p.err != nil && s.FirstError == nil {
			s.FirstError = p.err
		}
		if p.failed.Load() {
			s.Failed++
			continue
		}
		s.Connected++
		n := p.messages.Load()
		msgs, bytes = append(msgs, n), append(bytes, p.bytes.Load())
		s.TotalBytes += p.bytes.Load()
		lates = p.delays.appendTo(lates)
		if d := p.firstKeyframe.Load(); d > 0 {
			firsts = append(firsts, time.Duration(d))
		}
		if p.dropped > 0 {
			s.ClientDropped++
		}
		if p.dropped > 0 || p.lastTS.Load()+1000 < p.from.lastTS.Load() {
			s.Behind++
		}
		if expected := p.from.messages.Load() - p.publishedAtStart; float64(n) < 0.95*float64(expected) {
			s.Short++
		}
	}
	s.Messages, s.Bytes = spread(msgs), spread(bytes)
	s.Delay = percentiles(lates)
	s.FirstKeyframe = medianP99(firsts)
	return s
}

// addLate adds the late players' counts: a late player without a keyframe
// counts as failed, since the run gave it time for several.
func (s *Summary) addLate(late []*player) {
	var firsts []time.Duration
	for _, p := range late {
		s.Late++
		d := p.firstKeyframe.Load()
		if p.failed.Load() || d <= 0 {
			s.LateFailed++
			if p.err != nil && s.FirstError == nil {
				s.FirstError = p.err
			}
			continue
		}
		firsts = append(firsts, time.Duration(d))
	}
	s.LateFirstKeyframe = medianP99(firsts)
}

// medianP99 sorts v and returns its median and 99th percentile (the
// largest value below 100 samples).
func medianP99(v []time.Duration) [2]time.Duration {
	if len(v) == 0 {
		return [2]time.Duration{}
	}
	slices.Sort(v)
	return [2]time.Duration{v[len(v)/2], v[(len(v)*99)/100]}
}

// spread is min, median and max.
func spread(v []int64) [3]int64 {
	if len(v) == 0 {
		return [3]int64{}
	}
	slices.Sort(v)
	return [3]int64{v[0], v[len(v)/2], v[len(v)-1]}
}

func (s Summary) print(w io.Writer) {
	fmt.Fprintf(w, "players: %d connected, %d failed, of %d\n", s.Connected, s.Failed, s.Players)
	fmt.Fprintf(w, "published: %d audio/video messages, %d bytes, by %d publishers\n", s.Published, s.PublishedBytes, s.Publishers)
	fmt.Fprintf(w, "received per player: messages min/median/max %d/%d/%d, bytes %d/%d/%d\n",
		s.Messages[0], s.Messages[1], s.Messages[2], s.Bytes[0], s.Bytes[1], s.Bytes[2])
	fmt.Fprintf(w, "received in all: %d bytes\n", s.TotalBytes)
	fmt.Fprintf(w, "fell behind: %d; got < 95%% of what was published: %d; dropped by the player's own queue: %d\n", s.Behind, s.Short, s.ClientDropped)
	fmt.Fprintf(w, "play to first keyframe: median %v, p99 %v\n",
		s.FirstKeyframe[0].Round(time.Millisecond), s.FirstKeyframe[1].Round(time.Millisecond))
	if s.Late > 0 {
		fmt.Fprintf(w, "late players: %d, %d failed; play to first keyframe: median %v, p99 %v\n", s.Late, s.LateFailed,
			s.LateFirstKeyframe[0].Round(100*time.Microsecond), s.LateFirstKeyframe[1].Round(100*time.Microsecond))
	}
	fmt.Fprintf(w, "message delay over each player's most punctual: median %v, p99 %v, p99.9 %v\n",
		s.Delay[0].Round(100*time.Microsecond), s.Delay[1].Round(100*time.Microsecond), s.Delay[2].Round(100*time.Microsecond))
	if s.FirstError != nil {
		fmt.Fprintf(w, "first player error: %v\n", s.FirstError)
	}
	fmt.Fprintf(w, "cpu: %.2fs in %.1fs (%.0f%% of one core)\n", s.CPU.Seconds(), s.Wall.Seconds(), 100*s.CPU.Seconds()/s.Wall.Seconds())
}

// printJSON writes the summary as one JSON line, for a benchmark driver.
func (s Summary) printJSON(w io.Writer) error {
	j := loadsummary.Summary{
		Players: s.Players, Connected: s.Connected, Failed: s.Failed, Published: s.Published,
		Publishers: s.Publishers, PublishedBytes: s.PublishedBytes,
		TotalBytes: s.TotalBytes, Behind: s.Behind, Short: s.Short, ClientDropped: s.ClientDropped,
		FirstKeyframeMedianMS: ms(s.FirstKeyframe[0]), FirstKeyframeP99MS: ms(s.FirstKeyframe[1]),
		Late: s.Late, LateFailed: s.LateFailed,
		LateFirstKeyframeMedianMS: ms(s.LateFirstKeyframe[0]), LateFirstKeyframeP99MS: ms(s.LateFirstKeyframe[1]),
		DelayMedianMS: ms(s.Delay[0]), DelayP99MS: ms(s.Delay[1]), DelayP999MS: ms(s.Delay[2]),
		CPUSeconds: s.CPU.Seconds(), WallSeconds: s.Wall.Seconds(),
	}
	if s.FirstError != nil {
		j.FirstError = s.FirstError.Error()
	}
	return json.NewEncoder(w).Encode(j)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
