package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/cluster"
	"github.com/gortmp/rtmp/driver/live"
)

// clusterOptions are the flags of a cluster node (see driver/cluster).
type clusterOptions struct {
	url, advertise string
	lease, refresh time.Duration
}

func (co *clusterOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&co.url, "cluster", "", "join the cluster whose stream directory is the Redis server at `redis://HOST:PORT[/DB]`: a publish here claims APP/KEY for this node, a play of a stream published on another node pulls it from there")
	fs.StringVar(&co.advertise, "advertise", "", "this node's `rtmp://HOST:PORT` as the other nodes of the cluster dial it (default: the -listen address, 127.0.0.1 for an unspecified host)")
	fs.DurationVar(&co.lease, "cluster-lease", relay.DefaultLease, "how long a claim lasts in the directory unless refreshed: how soon another node may take over the streams of a node that died, and how long a node cut off from Redis stays their owner; the same on every node")
	fs.DurationVar(&co.refresh, "cluster-refresh", 0, "how often claims are refreshed and pulled streams' owners looked up (0: a third of -cluster-lease)")
}

// check validates the flags once parsed.
func (co *clusterOptions) check() error {
	if co.url == "" {
		if co.advertise != "" {
			return errors.New("-advertise needs -cluster")
		}
		return nil
	}
	if _, err := cluster.Open(co.url); err != nil {
		return fmt.Errorf("-cluster: %w", err)
	}
	if co.advertise != "" && (!strings.HasPrefix(co.advertise, "rtmp://") || strings.Count(strings.TrimPrefix(co.advertise, "rtmp://"), "/") > 0) {
		return fmt.Errorf("-advertise takes rtmp://HOST:PORT, not %q", co.advertise)
	}
	if co.lease <= 0 || co.refresh < 0 || co.refresh >= co.lease {
		return errors.New("-cluster-lease must be positive and -cluster-refresh shorter")
	}
	return nil
}

// config opens the directory; rtmp is the RTMP listener's address, the
// default advertised one. The returned function closes the directory.
func (co clusterOptions) config(rtmp net.Addr) (*live.ClusterConfig, func(), error) {
	if co.url == "" {
		return nil, func() {}, nil
	}
	adv := co.advertise
	if adv == "" {
		if rtmp == nil {
			return nil, nil, errors.New("-cluster needs -advertise when there is no -listen")
		}
		adv = "rtmp://" + hostPort(rtmp)
	}
	dir, err := cluster.Open(co.url)
	if err != nil {
		return nil, nil, err
	}
	return &live.ClusterConfig{
		Directory: dir, Advertise: adv,
		Times: relay.LeaseTimes{Lease: co.lease, Refresh: co.refresh},
	}, func() { dir.Close() }, nil
}

// clusterJSON is the cluster part of GET /stats.
type clusterJSON struct {
	Owned          []string `json:"owned_streams"`
	DirectoryPulls uint64   `json:"directory_pulls"`
	LeaseLosses    uint64   `json:"lease_losses"`
	StoreFailures  uint64   `json:"store_failures"`
}

// clusterStats returns a cluster node's part of GET /stats, or nil.
func clusterStats(r *live.Relay) *clusterJSON {
	cs, ok := r.ClusterStats()
	if !ok {
		return nil
	}
	owned := []string{}
	for _, p := range cs.Owned {
		owned = append(owned, p.String())
	}
	return &clusterJSON{Owned: owned, DirectoryPulls: cs.DirectoryPulls, LeaseLosses: cs.LeaseLosses, StoreFailures: cs.StoreFailures}
}

// writeClusterMetrics writes a cluster node's series of GET /metrics.
func writeClusterMetrics(b *bytes.Buffer, r *live.Relay) {
	cs, ok := r.ClusterStats()
	if !ok {
		return
	}
	fmt.Fprintf(b, "# HELP rtmpd_cluster_owned_streams Streams this node owns in the cluster's directory.\n# TYPE rtmpd_cluster_owned_streams gauge\nrtmpd_cluster_owned_streams %d\n", len(cs.Owned))
	fmt.Fprintf(b, "# HELP rtmpd_cluster_stream_owned 1 for each stream this node owns.\n# TYPE rtmpd_cluster_stream_owned gauge\n")
	for _, p := range cs.Owned {
		fmt.Fprintf(b, "rtmpd_cluster_stream_owned{app=\"%s\",key=\"%s\"} 1\n", labelValue(p.App), labelValue(p.Key))
	}
	for _, m := range []struct {
		name, help string
		v          uint64
	}{
		{"rtmpd_cluster_directory_pulls_total", "Pull connections started to an owner the directory named.", cs.DirectoryPulls},
		{"rtmpd_cluster_lease_losses_total", "Times this node stopped owning a stream it published: a lease that ran out unrefreshed, or a refresh refused.", cs.LeaseLosses},
		{"rtmpd_cluster_store_failures_total", "Directory calls that failed (Redis unreachable or too slow).", cs.StoreFailures},
	} {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", m.name, m.help, m.name, m.name, m.v)
	}
}
