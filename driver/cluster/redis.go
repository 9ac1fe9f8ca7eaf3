package cluster

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gortmp/rtmp/core/relay"
)

// Redis is a relay.Directory kept in a Redis server: one key per owned
// path, whose value is the owner's token and URL and whose expiry is the
// lease. Every call is one Lua script, so each is atomic on the server.
type Redis struct {
	c      *redis.Client
	prefix string
}

// DefaultTimeout bounds each call to the store: a store that does not
// answer in time fails the call, which the directory's decisions retry.
const DefaultTimeout = time.Second

// Open connects to the Redis server at a redis://[:password@]HOST:PORT[/DB]
// URL (rediss:// for TLS). Keys are named rtmp:* ; nodes of one cluster
// use the same server and database, and the same lease. The connection is
// made lazily: Open fails on a bad URL only.
func Open(rawURL string) (*Redis, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = DefaultTimeout, DefaultTimeout, DefaultTimeout
	// The directory's decisions retry with their own backoff; a retry
	// inside the client would hide how long a call took.
	opts.MaxRetries = -1
	opts.PoolSize = 8
	return &Redis{c: redis.NewClient(opts), prefix: "rtmp:"}, nil
}

// Close closes the connections to the server.
func (r *Redis) Close() error { return r.c.Close() }

// Ping checks that the server answers.
func (r *Redis) Ping(ctx context.Context) error {
	return wrap(r.c.Ping(ctx).Err())
}

func (r *Redis) keys(p relay.Path) []string {
	return []string{r.prefix + "owner:" + p.App + "/" + p.Key, r.prefix + "token", r.prefix + "up", r.prefix + "grace"}
}

// Claim implements relay.Directory.
func (r *Redis) Claim(ctx context.Context, p relay.Path, url string, lease time.Duration) (relay.Owner, bool, error) {
	res, err := claimScript.Run(ctx, r.c, r.keys(p), url, lease.Milliseconds()).Slice()
	if err != nil {
		return relay.Owner{}, false, wrap(err)
	}
	if len(res) != 3 {
		return relay.Owner{}, false, fmt.Errorf("cluster: claim: unexpected answer %v", res)
	}
	won, _ := res[0].(int64)
	value, _ := res[1].(string)
	ms, _ := res[2].(int64)
	o := relay.Owner{Remaining: time.Duration(ms) * time.Millisecond}
	if value != "" {
		if o.Token, o.URL, err = parseOwner(value); err != nil {
			return relay.Owner{}, false, err
		}
	}
	return o, won == 1, nil
}

// Refresh implements relay.Directory.
func (r *Redis) Refresh(ctx context.Context, p relay.Path, o relay.Owner, lease time.Duration) (bool, error) {
	n, err := refreshScript.Run(ctx, r.c, r.keys(p), ownerValue(o), lease.Milliseconds(), o.Token).Int()
	if err != nil {
		return false, wrap(err)
	}
	return n == 1, nil
}

// Release implements relay.Directory.
func (r *Redis) Release(ctx context.Context, p relay.Path, o relay.Owner) error {
	return wrap(releaseScript.Run(ctx, r.c, r.keys(p)[:1], ownerValue(o)).Err())
}

// Lookup implements relay.Directory.
func (r *Redis) Lookup(ctx context.Context, p relay.Path) (relay.Owner, bool, error) {
	res, err := lookupScript.Run(ctx, r.c, r.keys(p)[:1]).Slice()
	if err != nil {
		return relay.Owner{}, false, wrap(err)
	}
	if len(res) != 2 {
		return relay.Owner{}, false, fmt.Errorf("cluster: look-up: unexpected answer %v", res)
	}
	value, _ := res[0].(string)
	if value == "" {
		return relay.Owner{}, false, nil
	}
	ms, _ := res[1].(int64)
	o := relay.Owner{Remaining: time.Duration(ms) * time.Millisecond}
	if o.Token, o.URL, err = parseOwner(value); err != nil {
		return relay.Owner{}, false, err
	}
	return o, true, nil
}

func ownerValue(o relay.Owner) string { return strconv.FormatUint(o.Token, 10) + " " + o.URL }

// parseOwner reads an owner key's "TOKEN URL".
func parseOwner(v string) (uint64, string, error) {
	t, url, ok := strings.Cut(v, " ")
	token, err := strconv.ParseUint(t, 10, 64)
	if !ok || err != nil || url == "" {
		return 0, "", fmt.Errorf("cluster: owner key holds %q, not \"TOKEN URL\"", v)
	}
	return token, url, nil
}

// ErrStore is wrapped by every error of a call the store did not answer.
var ErrStore = errors.New("cluster: directory store unavailable")

func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrStore, err)
}
