package amf0

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf3"
)

var rewriteSeeds = flag.Bool("rewrite-seeds", false, "rewrite the fuzz seed corpora from the golden vectors")

const goldenDir = "../../testdata/amf"

// vector is one golden file: annotated hex, with '#' comments and '@'
// directives (@error KIND OFFSET, @max-elements N).
type vector struct {
	name    string
	amf3    bool
	bytes   []byte
	errKind string
	errAt   int
	dec     Decoder
}

// A token is a quoted string, a comment running to the end of the line,
// or a run of hex digits.
var token = regexp.MustCompile(`"[^"]*"|#.*|[^\s"#]+`)

func parseVector(t *testing.T, path string) vector {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := vector{name: filepath.Base(path), amf3: strings.HasSuffix(path, ".amf3.hex")}
	for n, line := range strings.Split(string(text), "\n") {
		toks := token.FindAllString(line, -1)
		for i, tok := range toks {
			if strings.HasPrefix(tok, "#") {
				toks = toks[:i]
				break
			}
		}
		f := toks
		if len(f) > 0 && strings.HasPrefix(f[0], "@") {
			switch {
			case f[0] == "@error" && len(f) == 3:
				v.errKind = f[1]
				v.errAt, err = strconv.Atoi(f[2])
			case f[0] == "@max-elements" && len(f) == 2:
				v.dec.MaxElements, err = strconv.Atoi(f[1])
			default:
				err = fmt.Errorf("unknown directive")
			}
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
			continue
		}
		for _, tok := range toks {
			if strings.HasPrefix(tok, `"`) {
				v.bytes = append(v.bytes, tok[1:len(tok)-1]...)
				continue
			}
			b, err := hex.DecodeString(tok)
			if err != nil {
				t.Fatalf("%s:%d: %v", path, n+1, err)
			}
			v.bytes = append(v.bytes, b...)
		}
	}
	return v
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(goldenDir, "*.hex"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden vectors in %s: %v", goldenDir, err)
	}
	sort.Strings(paths)
	vs := make([]vector, len(paths))
	for i, p := range paths {
		vs[i] = parseVector(t, p)
	}
	return vs
}

var errorKinds = map[string]error{
	"truncated":         ErrTruncated,
	"unknown-marker":    ErrUnknownMarker,
	"bad-reference":     ErrBadReference,
	"too-deep":          ErrTooDeep,
	"length":            ErrLength,
	"too-many-elements": ErrTooManyElements,
	"externalizable":    ErrExternalizable,
	"malformed":         ErrMalformed,
}

func num(f float64) Value { return f }

func connectObject(kv ...Value) Object {
	o := make(Object, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		o = append(o, Property{Key: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

// goldenValues are the values each successful vector must decode to.
var goldenValues = map[string][]Value{
	"connect-ffmpeg-publish.amf0.hex": {"connect", num(1), connectObject(
		"app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
		"tcUrl", "rtmp://127.0.0.1:35627/live")},
	"connect-ffmpeg-play.amf0.hex": {"connect", num(1), connectObject(
		"app", "live", "flashVer", "LNX 9,0,124,2", "tcUrl", "rtmp://127.0.0.1:40103/live",
		"fpad", false, "capabilities", num(15), "audioCodecs", num(4071), "videoCodecs", num(252),
		"videoFunction", num(1))},
	"connect-gstreamer-publish.amf0.hex": {"connect", num(1), connectObject(
		"app", "live", "type", "nonprivate", "flashVer", "LNX 10,0,32,18",
		"tcUrl", "rtmp://127.0.0.1:33993/live")},
	"connect-obs.amf0.hex": {"connect", num(1), connectObject(
		"app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; FMSc/1.0)",
		"swfUrl", "rtmp://127.0.0.1:1935/live", "tcUrl", "rtmp://127.0.0.1:1935/live",
		"fpad", false, "capabilities", num(15), "audioCodecs", num(4071), "videoCodecs", num(252),
		"videoFunction", num(1), "fourCcList", StrictArray{"av01", "vp09", "hvc1"})},
	"createStream.amf0.hex": {"createStream", num(2), nil},
	"publish.amf0.hex":      {"publish", num(5), nil, "test", "live"},
	"play.amf0.hex":         {"play", num(4), nil, "test", num(-2000)},
	"setDataFrame-onMetaData.amf0.hex": {"@setDataFrame", "onMetaData", ECMAArray(connectObject(
		"duration", num(0), "width", num(320), "height", num(240), "videodatarate", num(0),
		"framerate", num(15), "videocodecid", num(7), "audiodatarate", num(0),
		"audiosamplerate", num(22050), "audiosamplesize", num(16), "stereo", false,
		"audiocodecid", num(10), "encoder", "Lavf59.27.100", "filesize", num(0)))},
	"amf3-command-avmplus.amf0.hex": {"connect", num(1),
		AVMPlus{Value: amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{
			{Key: "app", Value: "live"}, {Key: "objectEncoding", Value: int32(3)}}}},
		AVMPlus{Value: "app"}},
	"all-markers.amf3.hex": func() []Value {
		arr := amf3.Array{Associative: []amf3.Property{{Key: "key", Value: int32(1)}}, Dense: []amf3.Value{int32(2), int32(3)}}
		pt := func(x, y int32) amf3.Object {
			return amf3.Object{ClassName: "Pt", Sealed: []amf3.Property{{Key: "x", Value: x}, {Key: "y", Value: y}}}
		}
		return []Value{amf3.Undefined{}, nil, false, true, int32(-1), int32(1<<28 - 1), 3.141592653589793,
			"abc", "abc", "", amf3.XMLDocument("<a/>"), amf3.Date{}, arr, pt(1, 2), pt(5, 6), arr,
			amf3.XML("<b>"), amf3.ByteArray{1, 2, 3},
			amf3.VectorInt{Items: []int32{1, -1}}, amf3.VectorUint{Fixed: true, Items: []uint32{4294967295}},
			amf3.VectorDouble{Items: []float64{1}}, amf3.VectorObject{TypeName: "*", Items: []amf3.Value{"abc", nil}},
			amf3.Dictionary{Entries: []amf3.DictionaryEntry{{Key: "abc", Value: int32(7)}}},
			amf3.External{ClassName: "flex.messaging.io.ArrayCollection", Value: amf3.Array{Dense: []amf3.Value{int32(1)}}},
		}
	}(),
}

func decodeVector(v vector) ([]Value, error) {
	if v.amf3 {
		return amf3.Decoder{MaxElements: v.dec.MaxElements}.DecodeAll(v.bytes)
	}
	return v.dec.DecodeAll(v.bytes)
}

func encodeVector(v vector, vs []Value) ([]byte, error) {
	if v.amf3 {
		return amf3.Append(nil, vs...)
	}
	return Append(nil, vs...)
}

// TestGolden decodes every vector in testdata/amf: good ones to their
// expected values and back to the same bytes, bad ones to the expected
// error kind at the expected offset.
func TestGolden(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range loadVectors(t) {
		t.Run(v.name, func(t *testing.T) {
			got, err := decodeVector(v)
			if v.errKind != "" {
				kind, ok := errorKinds[v.errKind]
				if !ok {
					t.Fatalf("unknown error kind %q", v.errKind)
				}
				var e *Error
				if !errors.Is(err, kind) || !errors.As(err, &e) || e.Offset != v.errAt {
					t.Fatalf("err = %v, want %v at offset %d", err, kind, v.errAt)
				}
				seen[v.errKind] = true
				return
			}
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			want, ok := goldenValues[v.name]
			if !ok {
				t.Fatalf("no expected values for %s", v.name)
			}
			if diff := cmp.Diff(want, got, exact); diff != "" {
				t.Fatalf("decoded (-want +got):\n%s", diff)
			}
			b, err := encodeVector(v, got)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(b, v.bytes) {
				t.Fatalf("re-encoded bytes differ:\n got % x\nwant % x", b, v.bytes)
			}
		})
	}
	for kind := range errorKinds {
		if !seen[kind] {
			t.Errorf("no golden vector for error kind %s", kind)
		}
	}
}

// TestEveryPrefixFails checks that cutting a good vector anywhere gives
// an error (never a panic or a half value) for single-value decoding.
func TestEveryPrefixFails(t *testing.T) {
	for _, v := range loadVectors(t) {
		if v.errKind != "" || v.amf3 {
			continue
		}
		_, n, err := Decode(v.bytes)
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		for i := range n {
			if _, _, err := Decode(v.bytes[:i]); err == nil {
				t.Fatalf("%s: Decode of the first %d of %d bytes succeeded", v.name, i, n)
			}
		}
	}
}

// TestFuzzSeeds checks that the fuzz corpora hold every golden vector;
// -rewrite-seeds writes them.
func TestFuzzSeeds(t *testing.T) {
	for _, v := range loadVectors(t) {
		target := "FuzzAMF0"
		if v.amf3 {
			target = "FuzzAMF3"
		}
		path := filepath.Join("../../fuzz/testdata/fuzz", target, strings.TrimSuffix(v.name, ".hex"))
		want := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", v.bytes)
		if *rewriteSeeds {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("seed %s is missing or stale (run go test -run TestFuzzSeeds -rewrite-seeds): %v", path, err)
		}
	}
}
