package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gortmp/rtmp/driver/live"
)

// hookTimeout bounds one callback: the client waits for its answer.
const hookTimeout = 5 * time.Second

// httpHooks asks URLs whether to allow publishing (onPublish) and playing
// (onPlay), as nginx-rtmp's on_publish and on_play do: a form POST with
// call (publish or play), addr, app, name, tcurl, flashver, swfurl,
// pageurl and the arguments of the stream name's query; a 2xx answer
// allows, anything else (or no answer within hookTimeout) refuses. An
// empty URL allows without asking.
func httpHooks(onPublish, onPlay string, client *http.Client) func(context.Context, live.AuthRequest) error {
	return func(ctx context.Context, req live.AuthRequest) error {
		hook := onPublish
		if req.Action == "play" {
			hook = onPlay
		}
		if hook == "" {
			return nil
		}
		ctx, cancel := context.WithTimeout(ctx, hookTimeout)
		defer cancel()
		hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, strings.NewReader(hookForm(req).Encode()))
		if err != nil {
			return err
		}
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(hreq)
		if err != nil {
			return fmt.Errorf("%s refused: the callback failed", req.Action)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s refused (%d)", req.Action, resp.StatusCode)
		}
		return nil
	}
}

// hookForm is the form a callback gets: the stream name's query
// arguments, then the fixed fields, which they cannot override.
func hookForm(req live.AuthRequest) url.Values {
	form, _ := url.ParseQuery(req.Query)
	if form == nil {
		form = url.Values{}
	}
	addr := req.Remote
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	for k, v := range map[string]string{
		"call": req.Action, "addr": addr, "app": req.Path.App, "name": req.Path.Key,
		"tcurl": req.TCURL, "flashver": req.FlashVer, "swfurl": req.SWFURL, "pageurl": req.PageURL,
	} {
		form.Set(k, v)
	}
	return form
}
