package sim

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// A case script is one line of text that rebuilds a run: the scenario
// (seed and every client's script) and the knobs of Config that tests
// vary (RefuseSecondPublisher, the pipes' Window and Delay ranges). It is
// what a failing test prints in its replay command, so that the command
// runs exactly the failing case, whether the case came from a seed, from
// rapid or from a hand-made table. For example:
//
//	seed=4 refuse; publisher key=cam start=500ms window=16384 amf3; player key=cam start=0s window=2500000 leave=3s
//
// Clients are separated by ";", fields by spaces; durations are whole
// milliseconds or nanoseconds, so they read back exactly; keys are
// escaped like URL path segments.

// EncodeCase writes the script of cfg and sc. Config fields a script does
// not carry (the server's and the relay's configuration) must be
// DefaultConfig's; Media is the caller's, given again to DecodeCase.
func EncodeCase(cfg Config, sc Scenario) (string, error) {
	def := DefaultConfig(cfg.Media)
	if !reflect.DeepEqual(cfg.Server, def.Server) || !reflect.DeepEqual(cfg.Relay, def.Relay) {
		return "", errors.New("sim: a case script carries no server or relay configuration but the default")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "seed=%d", sc.Seed)
	if cfg.RefuseSecondPublisher {
		b.WriteString(" refuse")
	}
	if cfg.Window != def.Window {
		fmt.Fprintf(&b, " pipe=%d-%d", cfg.Window[0], cfg.Window[1])
	}
	if cfg.Delay != def.Delay {
		fmt.Fprintf(&b, " delay=%s-%s", exactDuration(cfg.Delay[0]), exactDuration(cfg.Delay[1]))
	}
	for _, c := range sc.Clients {
		if c.Role != Publisher && c.Role != Player {
			return "", fmt.Errorf("sim: client role %d", c.Role)
		}
		fmt.Fprintf(&b, "; %v key=%s start=%s window=%d", c.Role, escapeKey(c.Key), exactDuration(c.Start), c.Window)
		if c.Leave != 0 {
			fmt.Fprintf(&b, " leave=%s", exactDuration(c.Leave))
		}
		if c.StallAt != 0 || c.StallFor != 0 {
			fmt.Fprintf(&b, " stall=%s+%s", exactDuration(c.StallAt), exactDuration(c.StallFor))
		}
		if c.DropAt != 0 {
			fmt.Fprintf(&b, " drop=%s", exactDuration(c.DropAt))
		}
		if c.Vanish {
			b.WriteString(" vanish")
		}
		if c.AMF3 {
			b.WriteString(" amf3")
		}
	}
	return b.String(), nil
}

// exactDuration prints d so that parseDuration reads it back exactly.
func exactDuration(d time.Duration) string {
	if d%millisecond == 0 {
		return fmt.Sprintf("%dms", d/millisecond)
	}
	return fmt.Sprintf("%dns", d)
}

// DecodeCase reads a script written by EncodeCase: the scenario, and base
// with the script's knobs applied.
func DecodeCase(script string, base Config) (Config, Scenario, error) {
	cfg, sc := base, Scenario{}
	def := DefaultConfig(base.Media)
	cfg.RefuseSecondPublisher, cfg.Window, cfg.Delay = false, def.Window, def.Delay
	parts := strings.Split(script, ";")
	seen := map[string]bool{}
	for _, f := range strings.Fields(parts[0]) {
		name, value, _ := strings.Cut(f, "=")
		if seen[name] {
			return cfg, sc, fmt.Errorf("sim: case script: %q given twice", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "seed":
			sc.Seed, err = strconv.ParseUint(value, 10, 64)
		case "refuse":
			cfg.RefuseSecondPublisher = true
		case "pipe":
			cfg.Window, err = intRange(value)
		case "delay":
			cfg.Delay, err = durationRange(value, "-")
			if err == nil && cfg.Delay[1] < cfg.Delay[0] {
				err = errors.New("the low delay passes the high one")
			}
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			return cfg, sc, fmt.Errorf("sim: case script: %q: %w", f, err)
		}
	}
	if !seen["seed"] {
		return cfg, sc, errors.New("sim: case script: no seed")
	}
	for i, p := range parts[1:] {
		c, err := decodeClient(p)
		if err != nil {
			return cfg, sc, fmt.Errorf("sim: case script: client %d: %w", i, err)
		}
		sc.Clients = append(sc.Clients, c)
	}
	return cfg, sc, nil
}

func decodeClient(text string) (ClientSpec, error) {
	var c ClientSpec
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return c, errors.New("empty")
	}
	switch fields[0] {
	case Publisher.String():
		c.Role = Publisher
	case Player.String():
		c.Role = Player
	default:
		return c, fmt.Errorf("role %q", fields[0])
	}
	seen := map[string]bool{}
	for _, f := range fields[1:] {
		name, value, _ := strings.Cut(f, "=")
		if seen[name] {
			return c, fmt.Errorf("%q given twice", name)
		}
		seen[name] = true
		var err error
		switch name {
		case "key":
			c.Key, err = unescapeKey(value)
		case "start":
			c.Start, err = parseDuration(value)
		case "window":
			var w uint64
			w, err = strconv.ParseUint(value, 10, 32)
			c.Window = uint32(w)
		case "leave":
			c.Leave, err = parseDuration(value)
		case "stall":
			var r [2]time.Duration
			r, err = durationRange(value, "+")
			c.StallAt, c.StallFor = r[0], r[1]
		case "drop":
			c.DropAt, err = parseDuration(value)
		case "vanish":
			c.Vanish = true
		case "amf3":
			c.AMF3 = true
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			return c, fmt.Errorf("%q: %w", f, err)
		}
	}
	if !seen["key"] || !seen["start"] || !seen["window"] {
		return c, errors.New("key, start and window are required")
	}
	return c, nil
}

func intRange(s string) ([2]int, error) {
	lo, hi, ok := strings.Cut(s, "-")
	a, err1 := strconv.Atoi(lo)
	b, err2 := strconv.Atoi(hi)
	if !ok || err1 != nil || err2 != nil || a < 1 || b < a {
		return [2]int{}, errors.New("want LOW-HIGH, 1 <= LOW <= HIGH")
	}
	return [2]int{a, b}, nil
}

func durationRange(s, sep string) ([2]time.Duration, error) {
	lo, hi, ok := strings.Cut(s, sep)
	a, err1 := parseDuration(lo)
	b, err2 := parseDuration(hi)
	if !ok || err1 != nil || err2 != nil || a < 0 || b < 0 {
		return [2]time.Duration{}, fmt.Errorf("want two durations joined by %q", sep)
	}
	return [2]time.Duration{a, b}, nil
}
