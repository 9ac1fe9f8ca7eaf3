package main

import (
	"bytes"
	"net"
	"testing"
	"time"
)

func TestParseClusterFlags(t *testing.T) {
	o, err := parseFlags([]string{"-cluster", "redis://127.0.0.1:6379/2", "-advertise", "rtmp://10.0.0.5:1935", "-cluster-lease", "4s"}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if o.cluster.url != "redis://127.0.0.1:6379/2" || o.cluster.advertise != "rtmp://10.0.0.5:1935" || o.cluster.lease != 4*time.Second || o.cluster.refresh != 0 {
		t.Errorf("cluster options %+v", o.cluster)
	}
	cfg, closeDir, err := o.cluster.config(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDir()
	if cfg.Advertise != "rtmp://10.0.0.5:1935" || cfg.Times.WithDefaults().Refresh != 4*time.Second/3 {
		t.Errorf("cluster config %+v", cfg)
	}

	o, _ = parseFlags([]string{"-cluster", "redis://127.0.0.1:6379"}, new(bytes.Buffer))
	cfg, closeDir, err = o.cluster.config(&net.TCPAddr{IP: net.IPv4zero, Port: 1936})
	if err != nil {
		t.Fatal(err)
	}
	defer closeDir()
	if cfg.Advertise != "rtmp://127.0.0.1:1936" {
		t.Errorf("advertised by default %q, want the listener's port on 127.0.0.1", cfg.Advertise)
	}
	if _, _, err := o.cluster.config(nil); err == nil {
		t.Error("a cluster node without -listen or -advertise was configured")
	}

	for _, bad := range [][]string{
		{"-advertise", "rtmp://h:1935"},
		{"-cluster", "http://h:6379"},
		{"-cluster", "redis://h:6379", "-advertise", "rtmp://h:1935/live"},
		{"-cluster", "redis://h:6379", "-advertise", "h:1935"},
		{"-cluster", "redis://h:6379", "-cluster-lease", "0s"},
		{"-cluster", "redis://h:6379", "-cluster-lease", "1s", "-cluster-refresh", "2s"},
	} {
		if _, err := parseFlags(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}
