// rtmpdPlay(video, base, query, onMode) plays the HLS stream at
// base + "index.m3u8" in video: over Media Source Extensions where the
// browser has them, following the low-latency playlist part by part
// (blocking reloads with _HLS_msn and _HLS_part) and appending each fMP4
// part as it completes; otherwise (iPhones before iOS 17.1) with the
// browser's own HLS, where canPlayType says it has one. MSE comes first
// because it is ours to make low-latency: Chromium's own HLS, which
// answers "maybe" too, ignores parts and plays whole segments three
// behind the live edge. The page's "?player=mse" or "?player=native"
// chooses. It returns {stop()}.
"use strict";

(function () {
  const forced = new URLSearchParams(location.search).get("player");

  window.rtmpdPlay = function (video, base, query, onMode) {
    const MS = window.ManagedMediaSource || window.MediaSource;
    const native = video.canPlayType("application/vnd.apple.mpegurl") !== "";
    const useNative = forced === "native" || (forced !== "mse" && native && !MS);
    const abort = new AbortController();
    if (useNative) {
      onMode("native HLS");
      playNative(video, base, query, abort.signal).catch((e) => {
        if (!abort.signal.aborted) onMode("stopped: " + e.message);
      });
    } else {
      onMode("low-latency HLS over Media Source Extensions");
      playMSE(video, MS, base, query, abort.signal, onMode).catch((e) => {
        if (!abort.signal.aborted) onMode("stopped: " + e.message);
      });
    }
    return {
      stop() {
        abort.abort();
        video.removeAttribute("src");
        video.load();
      },
    };
  };

  // playNative hands the playlist to the browser's own HLS once it lists
  // three complete segments (or has ended). A stream's playlist lists
  // fewer for its first few target durations, and Chromium's player gives
  // up on a live playlist that does when it first loads it ("Segment
  // queue never had any data", DEMUXER_ERROR_COULD_NOT_PARSE) where RFC
  // 8216 has a client reload a live playlist until it lists more.
  async function playNative(video, base, query, signal) {
    const playlist = base + "index.m3u8?r=0" + query().replace("?", "&");
    for (let i = 0; i < 120; i++) {
      const resp = await fetch(playlist, { signal, cache: "no-store" });
      if (resp.ok) {
        const pl = parse(await resp.text());
        if (pl.segments.size >= 3 || pl.ended) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    signal.throwIfAborted();
    video.src = base + "index.m3u8" + query();
    video.play().catch(() => {});
  }

  // parse reads a media playlist: its init section, its parts (with
  // their segment's MSN and their index there) and its complete segments.
  function parse(text) {
    const pl = { map: null, parts: [], segments: new Map(), ended: false };
    let msn = 0, part = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        msn = parseInt(line.slice(22), 10);
      } else if (line.startsWith("#EXT-X-SKIP:")) {
        msn += parseInt(attr(line, "SKIPPED-SEGMENTS"), 10);
      } else if (line.startsWith("#EXT-X-MAP:")) {
        pl.map = attr(line, "URI");
      } else if (line.startsWith("#EXT-X-PART:")) {
        pl.parts.push({ msn, part, uri: attr(line, "URI"), independent: /INDEPENDENT=YES/.test(line) });
        part++;
      } else if (line === "#EXT-X-ENDLIST") {
        pl.ended = true;
      } else if (line !== "" && !line.startsWith("#")) {
        pl.segments.set(msn, { uri: line, parts: part });
        msn++;
        part = 0;
      }
    }
    return pl;
  }

  function attr(line, name) {
    const m = line.match(new RegExp(name + '=("([^"]*)"|[^,]*)'));
    return m ? (m[2] !== undefined ? m[2] : m[1]) : null;
  }

  function before(a, b) {
    return a.msn < b.msn || (a.msn === b.msn && a.part < b.part);
  }

  async function playMSE(video, MS, base, query, signal, onMode) {
    const ms = new MS();
    video.disableRemotePlayback = true;
    video.src = URL.createObjectURL(ms);
    await new Promise((resolve) => ms.addEventListener("sourceopen", resolve, { once: true }));
    const absolute = (uri) => new URL(uri, location.origin + base).toString();
    const get = async (u) => {
      const resp = await fetch(u, { signal, cache: "no-store" });
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText + " for " + u);
      return resp;
    };
    // index.m3u8?r=0 is the media playlist of the video and the first
    // audio track, also when index.m3u8 is a multivariant playlist.
    const playlist = () => base + "index.m3u8?r=0" + query().replace("?", "&");
    let pl = parse(await (await get(playlist())).text());
    const codecs = await streamCodecs(base, signal);
    const sb = ms.addSourceBuffer('video/mp4; codecs="' + codecs.join(",") + '"');
    const append = (bytes) => new Promise((resolve, reject) => {
      sb.addEventListener("updateend", resolve, { once: true });
      sb.addEventListener("error", reject, { once: true });
      sb.appendBuffer(bytes);
    });
    let map = null, next = null, appended = 0;
    for (;;) {
      if (next === null || (pl.parts.length > 0 && before(next, pl.parts[0]))) {
        // Start, or fell out of the window: the last independent part.
        const starts = pl.parts.filter((p) => p.independent);
        if (starts.length === 0) throw new Error("the playlist lists no independent part");
        next = { msn: starts[starts.length - 1].msn, part: starts[starts.length - 1].part };
      }
      if (pl.map !== map) {
        await append(await (await get(absolute(pl.map))).arrayBuffer());
        map = pl.map;
      }
      for (const p of pl.parts) {
        if (before(p, next)) continue;
        await append(await (await get(absolute(p.uri))).arrayBuffer());
        next = { msn: p.msn, part: p.part + 1 };
        appended++;
        await keepUp(video, sb, appended);
      }
      const seg = pl.segments.get(next.msn);
      if (seg && next.part >= seg.parts) next = { msn: next.msn + 1, part: 0 };
      if (pl.ended) {
        if (ms.readyState === "open") ms.endOfStream();
        onMode("the stream ended");
        return;
      }
      const directives = "&_HLS_msn=" + next.msn + "&_HLS_part=" + next.part;
      pl = parse(await (await get(playlist() + directives)).text());
    }
  }

  // streamCodecs asks the server for the stream's codecs, known once its
  // first init section is made.
  async function streamCodecs(base, signal) {
    for (let i = 0; i < 50; i++) {
      const list = await (await fetch("/api/streams", { signal, cache: "no-store" })).json();
      const s = list.streams.find((s) => "/" + s.app + "/" + s.key + "/" === base);
      if (s && s.codecs && s.codecs.length) return s.codecs;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error("the server did not say the stream's codecs");
  }

  // keepUp starts playback at the live edge, jumps ahead when it lags by
  // more than three seconds, and drops what is half a minute old.
  async function keepUp(video, sb, appended) {
    const b = video.buffered;
    if (b.length === 0) return;
    const end = b.end(b.length - 1);
    if (video.currentTime < b.start(0) || end - video.currentTime > 3) {
      video.currentTime = Math.max(b.start(b.length - 1), end - 0.5);
    }
    if (video.paused) video.play().catch(() => {});
    if (appended % 50 === 0 && video.currentTime - b.start(0) > 30) {
      await new Promise((resolve) => {
        sb.addEventListener("updateend", resolve, { once: true });
        sb.remove(0, video.currentTime - 10);
      });
    }
  }
})();
