package live

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
)

// Whatever names a client chooses, a recording's path is two elements
// below the folder, and plain names stay as they are.
func TestRecordPath(t *testing.T) {
	at := time.Date(2026, 11, 25, 1, 2, 3, 0, time.FixedZone("x", 3600))
	for _, tc := range []struct {
		p    relay.Path
		want string
	}{
		{relay.Path{App: "live", Key: "demo"}, "live/demo-20261125-000203.flv"},
		{relay.Path{App: "live/deep", Key: "a.b_c-d"}, "live_deep/a.b_c-d-20261125-000203.flv"},
		{relay.Path{App: "..", Key: "../../etc/passwd"}, "_./_._.._etc_passwd-20261125-000203.flv"},
		{relay.Path{App: "/abs", Key: ".hidden?key=x y"}, "_abs/_hidden_key_x_y-20261125-000203.flv"},
		{relay.Path{App: "", Key: ""}, "_/_-20261125-000203.flv"},
	} {
		got := recordPath("/rec", tc.p, at)
		if want := filepath.Join("/rec", tc.want); got != want {
			t.Errorf("%v: %s, want %s", tc.p, got, want)
		}
		if rel, err := filepath.Rel("/rec", got); err != nil || strings.Count(rel, string(filepath.Separator)) != 1 || strings.HasPrefix(rel, "..") {
			t.Errorf("%v: %s is not two elements below the folder", tc.p, got)
		}
	}
}
