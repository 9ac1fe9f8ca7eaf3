package fmp4_test

import (
	"os"
	"os/exec"
	"testing"
)

// needProgram returns the path of a real tool the test checks us against,
// or skips naming the Debian package; with RTMP_REQUIRE_PEERS=1 (as CI
// runs) a missing tool fails instead. It mirrors the driver's peers helper,
// which codec packages cannot import.
func needProgram(t *testing.T, program, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(program)
	if err == nil {
		return path
	}
	msg := program + " not found: apt-get install " + pkg
	if os.Getenv("RTMP_REQUIRE_PEERS") == "1" {
		t.Fatal(msg + " (RTMP_REQUIRE_PEERS=1)")
	}
	t.Skip(msg)
	return ""
}
