package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The servers measured.
const (
	serverRTMPD    = "rtmpd"
	serverNginx    = "nginx"
	serverMediaMTX = "mediamtx"
)

func (o options) wants(server string) bool {
	for _, s := range o.servers {
		if s == server {
			return true
		}
	}
	return false
}

// server is one running server process.
type server struct {
	name string
	addr string // 127.0.0.1:port
	cmd  *exec.Cmd
	done chan error
	once sync.Once
}

// freePort returns a loopback port nothing listens on right now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startRTMPD starts this module's rtmpd, with a CPU profile into profile
// unless it is "", and -merge-writes merge unless it is 0.
func startRTMPD(t *tools, tag, profile string, merge time.Duration, extra []string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := []string{"-listen", addr, "-log-level", "warn"}
	if profile != "" {
		args = append(args, "-cpuprofile", profile)
	}
	if merge > 0 {
		args = append(args, "-merge-writes", merge.String())
	}
	args = append(args, extra...)
	return start(serverRTMPD, addr, filepath.Join(t.dir, tag+"-rtmpd.log"), t.rtmpd, args...)
}

// nginxConfig is the whole nginx-rtmp configuration: one process, one
// worker, a live application, chunk size 4096, everything it writes in
// dir.
func nginxConfig(module, dir, addr string) string {
	return fmt.Sprintf(`load_module %s;
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 16384;
pid %s;
error_log %s warn;
events { worker_connections 8192; }
rtmp {
    server {
        listen %s;
        chunk_size 4096;
        application live { live on; }
    }
}
`, module, filepath.Join(dir, "nginx.pid"), filepath.Join(dir, "nginx-error.log"), addr)
}

// startNginx starts nginx with the RTMP module and a fresh configuration.
func startNginx(t *tools, tag string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	dir := filepath.Join(t.dir, tag+"-nginx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConfig(t.module, dir, addr)), 0o644); err != nil {
		return nil, err
	}
	return start(serverNginx, addr, filepath.Join(dir, "stderr.log"), t.nginx,
		"-p", dir, "-c", conf, "-e", filepath.Join(dir, "nginx-error.log"))
}

// mediamtxConfig is mediamtx's configuration: RTMP only, on addr, any
// path published and played, everything else off. Keys a release may not
// know are turned off through the environment instead (mediamtxEnv),
// since an unknown key in the file stops mediamtx.
func mediamtxConfig(addr string) string {
	return fmt.Sprintf(`logLevel: warn
logDestinations: [stdout]
api: no
metrics: no
pprof: no
playback: no
rtsp: no
rtmp: yes
rtmpAddress: %s
hls: no
webrtc: no
srt: no
paths:
  all_others:
`, addr)
}

// mediamtxEnv turns off what recent releases serve besides the keys of
// mediamtxConfig; a release that lacks one ignores its variable.
var mediamtxEnv = []string{"MTX_MOQ=no"}

// startMediaMTX starts mediamtx with a fresh RTMP-only configuration.
func startMediaMTX(t *tools, bin, tag string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	conf := filepath.Join(t.dir, tag+"-mediamtx.yml")
	if err := os.WriteFile(conf, []byte(mediamtxConfig(addr)), 0o644); err != nil {
		return nil, err
	}
	return startEnv(serverMediaMTX, addr, filepath.Join(t.dir, tag+"-mediamtx.log"), mediamtxEnv, bin, conf)
}

// start runs a server program and waits until it accepts connections.
func start(name, addr, logFile, bin string, args ...string) (*server, error) {
	return startEnv(name, addr, logFile, nil, bin, args...)
}

// startEnv is start with variables added to the environment.
func startEnv(name, addr, logFile string, env []string, bin string, args ...string) (*server, error) {
	log, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	s := &server{name: name, addr: addr, cmd: cmd, done: make(chan error, 1)}
	go func() {
		s.done <- cmd.Wait()
		log.Close()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return s, nil
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("%s exited at start (%v); see %s", name, err, logFile)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s does not listen on %s; see %s", name, addr, logFile)
		}
	}
}

// cpuTimes is a process's CPU time so far: in its own code (user) and in
// the kernel on its behalf (system), which for a relay is mostly the
// write system calls.
type cpuTimes struct{ user, system time.Duration }

// cpu returns the process's user and system CPU time so far.
func (s *server) cpu() (cpuTimes, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return cpuTimes{}, err
	}
	// The command name may hold spaces; the fields that matter follow
	// its closing parenthesis: state is field 3, utime 14, stime 15.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return cpuTimes{}, errors.New("unreadable /proc stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return cpuTimes{}, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return cpuTimes{}, err
	}
	// Linux reports these in USER_HZ, which is 100 on every architecture
	// Go supports.
	const tick = 10 * time.Millisecond
	return cpuTimes{user: time.Duration(utime) * tick, system: time.Duration(stime) * tick}, nil
}

// peakRSS returns the process's VmHWM in bytes.
func (s *server) peakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// stop ends the server with SIGTERM (rtmpd then writes its profile and
// nginx exits), and kills it if it lingers.
func (s *server) stop() {
	s.once.Do(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// waitCtx sleeps for d unless ctx ends first.
func waitCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
