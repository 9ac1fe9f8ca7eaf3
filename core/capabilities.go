package core

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
)

// Capabilities is what one side of a connection declared in the Enhanced
// RTMP negotiation of connect: the client in its command object, the server
// in the properties of its _result. The zero value is a legacy side that
// declared nothing.
type Capabilities struct {
	// FourCCList is fourCcList (Enhanced RTMP v1): the codecs the side
	// supports, "*" for any. Listed codecs count as able to decode, encode
	// and forward, since v1 had no finer flags.
	FourCCList []string
	// VideoFourCCs and AudioFourCCs are videoFourCcInfoMap and
	// audioFourCcInfoMap (v2), in the order sent; the FourCC "*" holds
	// flags that apply to every codec.
	VideoFourCCs []FourCCInfo
	AudioFourCCs []FourCCInfo
	// CapsEx is capsEx: reconnect, multitrack, ModEx and nanosecond
	// timestamp offsets.
	CapsEx CapsEx
}

// FourCCInfo is one entry of a FourCC info map.
type FourCCInfo struct {
	FourCC string
	Flags  FourCCFlags
}

// FourCCFlags are the capability flags of one codec (FourCcInfoMask).
type FourCCFlags uint32

// The flags of the specification's FourCcInfoMask.
const (
	CanDecode  FourCCFlags = 0x01
	CanEncode  FourCCFlags = 0x02
	CanForward FourCCFlags = 0x04
)

// CapsEx is the capsEx bit set of extended capabilities (CapsExMask).
type CapsEx uint32

// The bits of the specification's CapsExMask.
const (
	CapsExReconnect           CapsEx = 0x01
	CapsExMultitrack          CapsEx = 0x02
	CapsExModEx               CapsEx = 0x04
	CapsExTimestampNanoOffset CapsEx = 0x08
)

// wildcard is the FourCC that stands for every codec.
const wildcard = "*"

// Enhanced reports whether the side declared anything of Enhanced RTMP.
func (c Capabilities) Enhanced() bool {
	return c.FourCCList != nil || c.VideoFourCCs != nil || c.AudioFourCCs != nil || c.CapsEx != 0
}

// Reconnect reports whether the side handles NetConnection.Connect.ReconnectRequest.
func (c Capabilities) Reconnect() bool { return c.CapsEx&CapsExReconnect != 0 }

// Multitrack reports whether the side reads multitrack audio and video.
func (c Capabilities) Multitrack() bool { return c.CapsEx&CapsExMultitrack != 0 }

// ModEx reports whether the side parses ModEx packets.
func (c Capabilities) ModEx() bool { return c.CapsEx&CapsExModEx != 0 }

// TimestampNanoOffset reports whether the side uses nanosecond offsets.
func (c Capabilities) TimestampNanoOffset() bool { return c.CapsEx&CapsExTimestampNanoOffset != 0 }

// Flags returns what the side declared for one codec: its entries in the
// info maps, joined with the "*" entries (the specification's example
// reads the wildcard as adding to each codec's own flags), plus every flag
// when fourCcList names the codec or "*".
func (c Capabilities) Flags(fourCC string) FourCCFlags {
	var f FourCCFlags
	for _, m := range [2][]FourCCInfo{c.VideoFourCCs, c.AudioFourCCs} {
		for _, e := range m {
			if e.FourCC == fourCC || e.FourCC == wildcard {
				f |= e.Flags
			}
		}
	}
	for _, s := range c.FourCCList {
		if s == fourCC || s == wildcard {
			f |= CanDecode | CanEncode | CanForward
		}
	}
	return f
}

// CanDecode reports whether the side declared it decodes the codec.
func (c Capabilities) CanDecode(fourCC string) bool { return c.Flags(fourCC)&CanDecode != 0 }

// CanEncode reports whether the side declared it encodes the codec.
func (c Capabilities) CanEncode(fourCC string) bool { return c.Flags(fourCC)&CanEncode != 0 }

// CanForward reports whether the side declared it forwards the codec.
func (c Capabilities) CanForward(fourCC string) bool { return c.Flags(fourCC)&CanForward != 0 }

// clone copies the slices, so a caller may keep the value.
func (c Capabilities) clone() Capabilities {
	c.FourCCList = slices.Clone(c.FourCCList)
	c.VideoFourCCs = slices.Clone(c.VideoFourCCs)
	c.AudioFourCCs = slices.Clone(c.AudioFourCCs)
	return c
}

// The codecs codec/flv knows, which the default server forwards.
var (
	knownVideoCodecs = []flv.FourCC{flv.FourCCAVC, flv.FourCCHEVC, flv.FourCCAV1, flv.FourCCVP9, flv.FourCCVP8}
	knownAudioCodecs = []flv.FourCC{flv.FourCCAAC, flv.FourCCMP3, flv.FourCCOpus, flv.FourCCFLAC, flv.FourCCAC3, flv.FourCCEAC3}
)

// defaultCapabilities is DefaultCapabilities made once, for the sessions
// that are configured with none.
var defaultCapabilities = DefaultCapabilities()

// DefaultCapabilities is what a server announces unless Config says
// otherwise: it forwards every codec codec/flv knows and handles
// reconnect, multitrack and ModEx.
func DefaultCapabilities() Capabilities {
	var c Capabilities
	for _, f := range knownVideoCodecs {
		c.FourCCList = append(c.FourCCList, f.String())
		c.VideoFourCCs = append(c.VideoFourCCs, FourCCInfo{f.String(), CanForward})
	}
	for _, f := range knownAudioCodecs {
		c.FourCCList = append(c.FourCCList, f.String())
		c.AudioFourCCs = append(c.AudioFourCCs, FourCCInfo{f.String(), CanForward})
	}
	c.CapsEx = CapsExReconnect | CapsExMultitrack | CapsExModEx
	return c
}

// The property names of the negotiation.
const (
	propFourCCList   = "fourCcList"
	propVideoInfoMap = "videoFourCcInfoMap"
	propAudioInfoMap = "audioFourCcInfoMap"
	propCapsEx       = "capsEx"
)

// readCapabilities reads the negotiation properties of a connect command
// object. Entries of the wrong type or shape are skipped: a client that
// sends a malformed list still connects, with what could be read. A
// property that is present but unreadable still marks the client as
// Enhanced, with an empty (non-nil) list.
//
// Its strings are copies: the session keeps them, and a string of the
// decoded message would keep the whole message's memory.
func readCapabilities(obj amf0.Object) Capabilities {
	var c Capabilities
	if v, ok := obj.Get(propFourCCList); ok {
		c.FourCCList = []string{}
		if list, ok := v.(amf0.StrictArray); ok {
			for _, e := range list {
				if s, ok := e.(string); ok && validFourCC(s) {
					c.FourCCList = append(c.FourCCList, strings.Clone(s))
				}
			}
		}
	}
	c.VideoFourCCs = readInfoMap(obj, propVideoInfoMap)
	c.AudioFourCCs = readInfoMap(obj, propAudioInfoMap)
	if n, ok := obj.Number(propCapsEx); ok {
		c.CapsEx = CapsEx(toUint32(n))
	}
	return c
}

// readInfoMap reads a FourCC info map given as an object or ECMA array.
func readInfoMap(obj amf0.Object, key string) []FourCCInfo {
	v, ok := obj.Get(key)
	if !ok {
		return nil
	}
	out := []FourCCInfo{}
	props, _ := amf0.Properties(v)
	for _, p := range props {
		if n, ok := p.Value.(float64); ok && validFourCC(p.Key) {
			out = append(out, FourCCInfo{FourCC: strings.Clone(p.Key), Flags: FourCCFlags(toUint32(n))})
		}
	}
	return out
}

// validFourCC accepts four bytes or the wildcard.
func validFourCC(s string) bool { return len(s) == 4 || s == wildcard }

// toUint32 reads a flag number; anything that is not a whole number in
// range (NaN included) carries no flags.
func toUint32(n float64) uint32 {
	if n >= 0 && n <= 1<<32-1 && n == float64(uint32(n)) {
		return uint32(n)
	}
	return 0
}

// appendTo adds the side's declarations to a command object or _result
// properties, each only when declared, in the specification's order.
func (c Capabilities) appendTo(o amf0.Object) amf0.Object {
	if c.FourCCList != nil {
		list := make(amf0.StrictArray, len(c.FourCCList))
		for i, s := range c.FourCCList {
			list[i] = s
		}
		o = append(o, amf0.Property{Key: propFourCCList, Value: list})
	}
	for _, m := range [...]struct {
		key     string
		entries []FourCCInfo
	}{{propVideoInfoMap, c.VideoFourCCs}, {propAudioInfoMap, c.AudioFourCCs}} {
		if m.entries == nil {
			continue
		}
		info := make(amf0.Object, len(m.entries))
		for i, e := range m.entries {
			info[i] = amf0.Property{Key: e.FourCC, Value: float64(e.Flags)}
		}
		o = append(o, amf0.Property{Key: m.key, Value: info})
	}
	if c.Enhanced() {
		o = append(o, amf0.Property{Key: propCapsEx, Value: float64(c.CapsEx)})
	}
	return o
}

// String names the bits, as "reconnect|multitrack"; unknown bits show in
// hex and no bits as "none".
func (c CapsEx) String() string {
	return bitNames(uint32(c), "reconnect", "multitrack", "modex", "nano-offset")
}

// String names the flags, as "decode|forward".
func (f FourCCFlags) String() string {
	return bitNames(uint32(f), "decode", "encode", "forward")
}

func capsExString(c CapsEx) string { return c.String() }

// bitNames joins the names of the set bits, lowest first.
func bitNames(v uint32, names ...string) string {
	if v == 0 {
		return "none"
	}
	var parts []string
	for i, n := range names {
		if v&(1<<i) != 0 {
			parts = append(parts, n)
		}
	}
	if rest := v &^ (1<<len(names) - 1); rest != 0 {
		parts = append(parts, "0x"+strconv.FormatUint(uint64(rest), 16))
	}
	return strings.Join(parts, "|")
}
