package main

import (
	"crypto/tls"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// waitPlayers polls GET /stats at base (a server run with -stats) until
// the stream app/key has n players, waiting or playing: a player that
// the server has registered waits for the publisher, whatever its
// process's start took. It fails the test after 20 s.
func waitPlayers(t *testing.T, base, app, key string, n int) {
	t.Helper()
	// The test certificate is self-signed.
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
	}
	defer client.CloseIdleConnections()
	got := -1
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got = streamPlayers(client, base, app, key); got == n {
			return
		}
	}
	t.Fatalf("%s/%s has %d players after 20 s, want %d", app, key, got, n)
}

// streamPlayers is the players of app/key in GET /stats, or -1 if the
// server does not answer.
func streamPlayers(client *http.Client, base, app, key string) int {
	resp, err := client.Get(base + "/stats")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var stats struct{ Streams []streamJSON }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&stats) != nil {
		return -1
	}
	for _, s := range stats.Streams {
		if s.App == app && s.Key == key {
			return s.Players
		}
	}
	return 0
}
