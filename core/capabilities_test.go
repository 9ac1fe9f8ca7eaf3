package core_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

func TestCapabilitiesFlags(t *testing.T) {
	c := core.Capabilities{
		VideoFourCCs: []core.FourCCInfo{{FourCC: "*", Flags: core.CanForward}, {FourCC: "vp09", Flags: core.CanDecode | core.CanEncode}},
		AudioFourCCs: []core.FourCCInfo{{FourCC: "Opus", Flags: core.CanDecode}},
		CapsEx:       core.CapsExMultitrack | core.CapsExTimestampNanoOffset,
	}
	for _, tc := range []struct {
		fourCC string
		want   core.FourCCFlags
	}{
		// The wildcard adds to each codec's own flags, as in the
		// specification's example ("can decode, encode, forward (see *)").
		{"vp09", core.CanDecode | core.CanEncode | core.CanForward},
		{"hvc1", core.CanForward},
		{"Opus", core.CanDecode | core.CanForward},
	} {
		if got := c.Flags(tc.fourCC); got != tc.want {
			t.Errorf("Flags(%q) = %v, want %v", tc.fourCC, got, tc.want)
		}
	}
	if !c.CanDecode("vp09") || c.CanDecode("hvc1") || !c.CanForward("av01") || c.CanEncode("Opus") {
		t.Errorf("Can* disagree with Flags for %+v", c)
	}
	if !c.Multitrack() || !c.TimestampNanoOffset() || c.Reconnect() || c.ModEx() || !c.Enhanced() {
		t.Errorf("capsEx helpers wrong for %v", c.CapsEx)
	}
	v1 := core.Capabilities{FourCCList: []string{"hvc1"}}
	if !v1.Enhanced() || !v1.CanDecode("hvc1") || v1.CanDecode("av01") || v1.Multitrack() {
		t.Errorf("a v1 list of hvc1 reads as %v for hvc1, %v for av01", v1.Flags("hvc1"), v1.Flags("av01"))
	}
	if wild := (core.Capabilities{FourCCList: []string{"*"}}); !wild.CanForward("ec-3") {
		t.Error(`fourCcList ["*"] does not cover ec-3`)
	}
	if (core.Capabilities{}).Enhanced() {
		t.Error("the zero Capabilities is Enhanced")
	}
}

func TestCapsExString(t *testing.T) {
	for v, want := range map[core.CapsEx]string{
		0: "none", 1: "reconnect", 0x0f: "reconnect|multitrack|modex|nano-offset", 0x32: "multitrack|0x30",
	} {
		if got := v.String(); got != want {
			t.Errorf("CapsEx(%#x) = %q, want %q", uint32(v), got, want)
		}
	}
}

// connectWith is a connect whose command object carries extra properties.
func connectWith(props ...amf0.Value) core.Input {
	return call(0, "connect", 1, append(obj("app", "live", "tcUrl", "rtmp://h/live"), obj(props...)...))
}

// resultObject steps a connect and its Accept and returns the _result's
// command object.
func resultObject(t *testing.T, cfg core.Config, connect core.Input) (core.Session, amf0.Object) {
	t.Helper()
	s := core.NewSession(cfg)
	s, _ = s.Step(connect)
	s, fx := s.Step(core.Accept{Request: 1})
	for _, e := range fx {
		if send, ok := e.(core.Send); ok {
			if cmd, ok := send.Message.Body.(message.Command); ok && cmd.Name == "_result" {
				o, _ := cmd.Object.(amf0.Object)
				return s, o
			}
		}
	}
	t.Fatalf("no _result in %v", fx)
	return s, nil
}

func TestLegacyOnlyAnnouncesNothing(t *testing.T) {
	s, o := resultObject(t, core.Config{LegacyOnly: true}, connectWith("capsEx", 1.0))
	want := amf0.Object{{Key: "fmsVer", Value: core.DefaultFMSVersion}, {Key: "capabilities", Value: 31.0}}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("LegacyOnly _result object (-want +got):\n%s", diff)
	}
	if !s.ClientCapabilities().Reconnect() || s.ServerCapabilities().Enhanced() {
		t.Errorf("client %+v, server %+v", s.ClientCapabilities(), s.ServerCapabilities())
	}
	_, fx := s.Step(core.RequestReconnect{})
	var ce core.CapabilityError
	if len(fx) != 1 || !errors.As(fx[0].(core.CallerError).Err, &ce) || ce.Side != "server" {
		t.Errorf("reconnect with a legacy-only server gave %v", fx)
	}
}

func TestServerCapabilitiesAnnounced(t *testing.T) {
	cfg := core.Config{Capabilities: core.Capabilities{
		FourCCList: []string{"hvc1"},
		CapsEx:     core.CapsExMultitrack,
	}}
	s, o := resultObject(t, cfg, connectWith("fourCcList", amf0.StrictArray{"hvc1", "av01"}))
	want := amf0.Object{
		{Key: "fmsVer", Value: core.DefaultFMSVersion}, {Key: "capabilities", Value: 31.0},
		{Key: "fourCcList", Value: amf0.StrictArray{"hvc1"}}, {Key: "capsEx", Value: 2.0},
	}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("_result object (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"hvc1", "av01"}, s.ClientCapabilities().FourCCList); diff != "" {
		t.Errorf("client list (-want +got):\n%s", diff)
	}
	// The session hands out copies: changing one changes nothing inside.
	got := s.ServerCapabilities()
	got.FourCCList[0] = "xxxx"
	cfg.Capabilities.FourCCList[0] = "yyyy"
	if s.ServerCapabilities().FourCCList[0] != "hvc1" {
		t.Error("ServerCapabilities shares its slices with the caller or the Config")
	}
}

// The default server forwards every codec codec/flv knows.
func TestDefaultCapabilities(t *testing.T) {
	c := core.DefaultCapabilities()
	for _, f := range []string{"avc1", "hvc1", "av01", "vp09", "vp08", "mp4a", ".mp3", "Opus", "fLaC", "ac-3", "ec-3"} {
		if !c.CanForward(f) {
			t.Errorf("default server does not forward %s", f)
		}
	}
	if c.CapsEx != core.CapsExReconnect|core.CapsExMultitrack|core.CapsExModEx {
		t.Errorf("default capsEx %v", c.CapsEx)
	}
	if got := (core.Session{}).Config().Capabilities; !cmp.Equal(got, c) {
		t.Errorf("zero Config announces %+v", got)
	}
}
