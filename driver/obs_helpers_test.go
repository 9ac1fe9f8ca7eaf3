package driver_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// obsProfile is the name of the profile and of the scene collection the
// OBS test writes.
const obsProfile = "gortmp"

// writeOBSConfig writes a complete OBS configuration under home/.config:
// global settings that skip the first-run wizard and the update checks, a
// profile streaming with x264 and AAC to server with key, and a scene
// whose only source is a media source looping clip (no camera, screen or
// sound card needed).
func writeOBSConfig(t *testing.T, home, server, key, clip string) {
	t.Helper()
	base := filepath.Join(home, ".config", "obs-studio")
	profile := filepath.Join(base, "basic", "profiles", obsProfile)
	scenes := filepath.Join(base, "basic", "scenes")
	for _, dir := range []string{profile, scenes} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// LastVersion at OBS 29's own keeps it from opening the "what's new"
	// dialog; FirstRun=true from offering the auto-configuration wizard.
	global := `[General]
Pre19Defaults=false
Pre21Defaults=false
Pre23Defaults=false
Pre24.1Defaults=false
FirstRun=true
LastVersion=486539266
EnableAutoUpdates=false

[Basic]
Profile=` + obsProfile + `
ProfileDir=` + obsProfile + `
SceneCollection=` + obsProfile + `
SceneCollectionFile=` + obsProfile + `

[BasicWindow]
SysTrayEnabled=false

[OBSWebSocket]
FirstLoad=false
ServerEnabled=false
`
	// A keyframe every 2 s (x264's default is every 250 frames) so the
	// player sees several in the test's time.
	basic := `[General]
Name=` + obsProfile + `

[Video]
BaseCX=640
BaseCY=360
OutputCX=640
OutputCY=360
FPSType=0
FPSCommon=30

[Audio]
SampleRate=44100
ChannelSetup=Stereo

[Output]
Mode=Simple

[SimpleOutput]
StreamEncoder=x264
VBitrate=600
ABitrate=96
Preset=veryfast
UseAdvanced=true
x264Settings=keyint=60
`
	service := map[string]any{
		"type":     "rtmp_custom",
		"settings": map[string]any{"server": server, "key": key},
	}
	scene := map[string]any{
		"name":                  obsProfile,
		"current_scene":         "Scene",
		"current_program_scene": "Scene",
		"scene_order":           []any{map[string]any{"name": "Scene"}},
		"current_transition":    "Fade",
		"transition_duration":   300,
		"transitions":           []any{},
		"sources": []any{
			map[string]any{
				"id": "scene", "versioned_id": "scene", "name": "Scene", "enabled": true,
				"settings": map[string]any{
					"id_counter": 1,
					"items": []any{map[string]any{
						"id": 1, "name": "Clip", "visible": true, "locked": false, "align": 5,
						"pos": map[string]any{"x": 0, "y": 0}, "scale": map[string]any{"x": 1, "y": 1},
					}},
				},
			},
			map[string]any{
				"id": "ffmpeg_source", "versioned_id": "ffmpeg_source", "name": "Clip", "enabled": true,
				"settings": map[string]any{"is_local_file": true, "local_file": clip, "looping": true},
			},
		},
	}
	files := map[string][]byte{
		filepath.Join(base, "global.ini"):         []byte(global),
		filepath.Join(profile, "basic.ini"):       []byte(basic),
		filepath.Join(profile, "service.json"):    mustJSON(t, service),
		filepath.Join(scenes, obsProfile+".json"): mustJSON(t, scene),
	}
	for name, b := range files {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// obsProcess is OBS Studio running headless under xvfb-run, in a process
// group of its own so that stopping it also stops the X server.
type obsProcess struct {
	cmd  *exec.Cmd
	log  lockedBuffer
	done chan error
}

// startOBS runs OBS with the profile and scene collection writeOBSConfig
// wrote under home, streaming from the start. Its update checks go to a
// closed port on the loopback, so the test sends nothing off the machine.
func startOBS(t *testing.T, xvfbRun, obs, home string) *obsProcess {
	t.Helper()
	p := &obsProcess{done: make(chan error, 1)}
	p.cmd = exec.Command(xvfbRun, "-a", "-s", "-screen 0 1280x720x24",
		obs, "--profile", obsProfile, "--collection", obsProfile, "--startstreaming",
		"--minimize-to-tray", "--disable-shutdown-check", "--disable-missing-files-check", "--multi")
	env := []string{}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name != "DISPLAY" && name != "XAUTHORITY" && !strings.HasPrefix(name, "XDG_") && !strings.HasSuffix(strings.ToLower(name), "_proxy") {
			env = append(env, kv)
		}
	}
	runtimeDir := filepath.Join(home, "run")
	if err := os.Mkdir(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	const nowhere = "http://127.0.0.1:9"
	p.cmd.Env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_RUNTIME_DIR="+runtimeDir,
		"LIBGL_ALWAYS_SOFTWARE=1", "http_proxy="+nowhere, "https_proxy="+nowhere, "HTTPS_PROXY="+nowhere, "no_proxy=")
	p.cmd.Dir = home
	p.cmd.Stdout, p.cmd.Stderr = &p.log, &p.log
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The X server may hold OBS's output open a moment after xvfb-run
	// ends.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("xvfb-run obs: %v", err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop ends OBS and its X server: SIGTERM to the group, then SIGKILL if
// it is still there after 15 s; whatever of the group outlives xvfb-run
// is killed too.
func (p *obsProcess) stop(t *testing.T) {
	pgid := p.cmd.Process.Pid
	defer syscall.Kill(-pgid, syscall.SIGKILL)
	if p.exited() {
		return
	}
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
	case <-time.After(15 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		p.done <- <-p.done
		t.Logf("OBS did not stop on SIGTERM and was killed")
	}
}

// disconnected returns OBS's log lines that say its stream broke.
func (p *obsProcess) disconnected() []string {
	var bad []string
	for _, line := range strings.Split(p.log.String(), "\n") {
		if strings.Contains(line, "Disconnected") || strings.Contains(line, "RTMP send error") ||
			strings.Contains(line, "Reconnecting") || strings.Contains(line, "==== Streaming Stop") {
			bad = append(bad, line)
		}
	}
	return bad
}

// logTail is the end of OBS's log, for a failure message.
func (p *obsProcess) logTail() string {
	s := p.log.String()
	if len(s) > 6000 {
		s = "..." + s[len(s)-6000:]
	}
	return s
}

// lockedBuffer is a bytes.Buffer that a running process writes while the
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// publisherWatch is a Relay that also records every publish that starts
// and every publisher's connection that ends, with its reason.
type publisherWatch struct {
	*live.Relay
	mu         sync.Mutex
	publishing map[uint64]bool
	started    int
	ended      []string
}

func newPublisherWatch() *publisherWatch {
	return &publisherWatch{Relay: &live.Relay{}, publishing: map[uint64]bool{}}
}

func (w *publisherWatch) HandleEvent(c *driver.Conn, ev core.Event) {
	switch ev.(type) {
	case core.PublishingStarted:
		w.mu.Lock()
		w.started++
		w.publishing[c.ID()] = true
		w.mu.Unlock()
	case core.PublishingFinished:
		w.mu.Lock()
		w.ended = append(w.ended, "publishing finished")
		w.mu.Unlock()
	}
	w.Relay.HandleEvent(c, ev)
}

func (w *publisherWatch) HandleClose(c *driver.Conn, err error) {
	w.mu.Lock()
	if w.publishing[c.ID()] {
		w.ended = append(w.ended, "publisher's connection closed: "+errString(err))
	}
	w.mu.Unlock()
	w.Relay.HandleClose(c, err)
}

// counts returns how many publishes started and how the ended ones
// ended.
func (w *publisherWatch) counts() (started int, ended []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.started, append([]string(nil), w.ended...)
}

func errString(err error) string {
	if err == nil {
		return "cleanly"
	}
	return err.Error()
}
