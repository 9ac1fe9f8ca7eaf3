package relay

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestTakeOverReplacesPublisherAndKeepsPlayers(t *testing.T) {
	s := NewStream(Config{})
	mustPublish(t, s, 1)
	if _, err := s.Play(7); err != nil {
		t.Fatal(err)
	}
	var f Fanout
	s.Media(avcHeader, &f)
	s.Media(key(1000, 10), &f)

	fx, err := s.TakeOver(2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Effect{
		DisconnectPublisher{Publisher: 1, Reason: ErrTakenOver},
		PublishStarted{Player: 7},
	}
	if diff := cmp.Diff(want, fx, cmpErrors, ignoreNotices); diff != "" {
		t.Fatalf("TakeOver effects (-want +got):\n%s", diff)
	}
	if id, ok := s.Publishing(); !ok || id != 2 {
		t.Fatalf("publisher = %d %v, want 2", id, ok)
	}
	if s.IsPublisher(1) || !s.IsPublisher(2) {
		t.Fatalf("IsPublisher(1) = %v, IsPublisher(2) = %v, want false, true", s.IsPublisher(1), s.IsPublisher(2))
	}
	if got := s.Players(); !slices.Equal(got, []ClientID{7}) {
		t.Fatalf("players = %v, want [7]", got)
	}

	// The new publisher starts its own clock at 0, which its first
	// message puts 1 ms after the stream's latest (1000); the player
	// skips to its keyframe, spacing kept.
	s.Media(inter(0, 10), &f)
	if len(f.To) != 0 {
		t.Fatalf("inter frame before the new publisher's keyframe reached %v", f.To)
	}
	s.Media(key(40, 10), &f)
	if !slices.Equal(f.To, []ClientID{7}) || f.Timestamp != 1041 {
		t.Fatalf("new publisher's keyframe: to %v at %d, want [7] at 1041", f.To, f.Timestamp)
	}

	// The old publisher leaving later changes nothing.
	if fx := s.Leave(1); fx != nil {
		t.Fatalf("old publisher's Leave after the takeover = %v, want nothing", fx)
	}
	if id, _ := s.Publishing(); id != 2 {
		t.Fatalf("publisher after the old one left = %d, want 2", id)
	}
}

func TestTakeOverOfFreePathIsPublish(t *testing.T) {
	s := NewStream(Config{})
	if _, err := s.Play(7); err != nil {
		t.Fatal(err)
	}
	fx, err := s.TakeOver(1)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Effect{PublishStarted{Player: 7}}, fx, ignoreNotices); diff != "" {
		t.Fatal(diff)
	}
}

func TestTakeOverRefusesClientsOnTheStream(t *testing.T) {
	s := NewStream(Config{})
	mustPublish(t, s, 1)
	if _, err := s.Play(7); err != nil {
		t.Fatal(err)
	}
	for _, id := range []ClientID{1, 7} {
		if fx, err := s.TakeOver(id); !errors.Is(err, ErrClientExists) || fx != nil {
			t.Errorf("TakeOver(%d) = %v, %v, want ErrClientExists", id, fx, err)
		}
	}
	if id, _ := s.Publishing(); id != 1 {
		t.Fatalf("publisher = %d after refused takeovers, want 1", id)
	}
}

func mustPublish(t *testing.T, s *Stream, id ClientID) {
	t.Helper()
	if _, err := s.Publish(id); err != nil {
		t.Fatal(err)
	}
}

// TestPropertyTakeOver runs random publishes, takeovers, plays and leaves
// against a model of who is on the stream: there is at most one
// publisher, and it is the model's; every publisher a takeover replaced
// gets one DisconnectPublisher, in that takeover's effects; no
// player is ever disconnected or told the stream stopped by a takeover,
// and every player is told a publisher started.
func TestPropertyTakeOver(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := NewStream(Config{})
		var publisher ClientID // 0: none
		players := []ClientID{}
		steps := rapid.IntRange(0, 100).Draw(t, "steps")
		for range steps {
			id := ClientID(rapid.IntRange(1, 5).Draw(t, "client"))
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0:
				_, err := s.Publish(id)
				if ok := publisher == 0 && !slices.Contains(players, id); ok != (err == nil) {
					t.Fatalf("Publish(%d) = %v with publisher %d, players %v", id, err, publisher, players)
				}
				if err == nil {
					publisher = id
				}
			case 1:
				fx, err := s.TakeOver(id)
				if ok := publisher != id && !slices.Contains(players, id); ok != (err == nil) {
					t.Fatalf("TakeOver(%d) = %v with publisher %d, players %v", id, err, publisher, players)
				}
				if err != nil {
					break
				}
				var started []ClientID
				disconnected := 0
				for _, e := range fx {
					switch e := e.(type) {
					case DisconnectPublisher:
						if e.Publisher != publisher || e.Publisher == 0 {
							t.Fatalf("TakeOver(%d) disconnects %d, the publisher was %d", id, e.Publisher, publisher)
						}
						disconnected++
					case PublishStarted:
						started = append(started, e.Player)
					default:
						t.Fatalf("TakeOver(%d) has effect %#v", id, e)
					}
				}
				if want := min(int(publisher), 1); disconnected != want {
					t.Fatalf("TakeOver(%d) of publisher %d: %d DisconnectPublisher, want %d", id, publisher, disconnected, want)
				}
				if !slices.Equal(started, players) {
					t.Fatalf("TakeOver(%d) told %v a publisher started, players are %v", id, started, players)
				}
				publisher = id
			case 2:
				_, err := s.Play(id)
				if ok := publisher != id && !slices.Contains(players, id); ok != (err == nil) {
					t.Fatalf("Play(%d) = %v with publisher %d, players %v", id, err, publisher, players)
				}
				if err == nil {
					players = append(players, id)
				}
			case 3:
				s.Leave(id)
				switch {
				case publisher == id:
					publisher = 0
				case slices.Contains(players, id):
					players = slices.DeleteFunc(players, func(p ClientID) bool { return p == id })
				}
			}
			got, ok := s.Publishing()
			if ok != (publisher != 0) || (ok && got != publisher) {
				t.Fatalf("stream's publisher %d %v, model's %d", got, ok, publisher)
			}
			if !slices.Equal(s.Players(), players) {
				t.Fatalf("stream's players %v, model's %v", s.Players(), players)
			}
		}
	})
}
