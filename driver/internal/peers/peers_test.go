package peers

import (
	"os/exec"
	"testing"
)

func TestFindMissingProgram(t *testing.T) {
	p := Peer{Program: "no-such-rtmp-peer-program", Package: "nothing"}
	if _, ok := p.Find(); ok {
		t.Fatal("found a program that does not exist")
	}
}

func TestFindMissingExtra(t *testing.T) {
	p := Peer{Program: "go", Package: "golang", Extra: "/nonexistent/module.so"}
	if _, ok := p.Find(); ok {
		t.Fatal("found a peer whose extra file is missing")
	}
}

func TestNeedReturnsPathOfPresentPeer(t *testing.T) {
	want, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	if got := Need(t, Peer{Program: "go", Package: "golang"}); got != want {
		t.Fatalf("Need = %q, want %q", got, want)
	}
}
