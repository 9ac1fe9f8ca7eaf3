// The stream list: read /api/streams every two seconds, add a section
// with a player for each new published stream, drop those gone.
"use strict";

const shown = new Map(); // "app/key" -> {el, player}
const keyInput = document.getElementById("key");

function playQuery() {
  const k = keyInput.value;
  return k ? "?key=" + encodeURIComponent(k) : "";
}

function urlRows(dl, s) {
  const q = playQuery();
  const rows = [
    ["Publish (RTMP)", s.urls.rtmp],
    ["Publish (RTMPS)", s.urls.rtmps],
    ["Play (RTMP)", s.urls.rtmp && s.urls.rtmp + q],
    ["Play (HTTP-FLV)", s.urls.http_flv + q],
    ["Play (HLS)", s.urls.hls + q],
  ];
  dl.replaceChildren();
  for (const [name, url] of rows) {
    if (!url) continue;
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = url;
    dl.append(dt, dd);
  }
}

function describe(s) {
  const parts = [s.publishing ? "live" : "waiting for a publisher"];
  if (s.width) parts.push(s.width + "×" + s.height);
  if (s.codecs && s.codecs.length) parts.push(s.codecs.join(", "));
  // players are the RTMP and HTTP-FLV viewers; the HLS ones are apart.
  const viewers = s.players + s.hls_players;
  parts.push(viewers + (viewers === 1 ? " viewer, " : " viewers, ") + s.hls_players + " over HLS");
  return parts.join(" · ");
}

function add(s) {
  const id = s.app + "/" + s.key;
  const el = document.getElementById("stream").content.firstElementChild.cloneNode(true);
  el.dataset.stream = id;
  el.querySelector(".name").textContent = id;
  document.getElementById("streams").append(el);
  const video = el.querySelector("video");
  const player = window.rtmpdPlay(video, "/" + id + "/", playQuery, (mode) => {
    el.querySelector(".mode").textContent = mode;
  });
  const entry = { el, player };
  shown.set(id, entry);
  return entry;
}

async function refresh() {
  let list;
  try {
    const resp = await fetch("/api/streams", { cache: "no-store" });
    list = await resp.json();
  } catch (e) {
    document.getElementById("status").textContent = "The server does not answer (" + e.message + ").";
    return;
  }
  document.getElementById("keybox").hidden = !list.play_key;
  const live = list.streams.filter((s) => s.publishing);
  document.getElementById("status").textContent =
    live.length === 0 ? "No live stream. Publish one to the RTMP URL below a stream's name, e.g. rtmp://" + location.hostname + "/live/demo." :
    live.length + (live.length === 1 ? " live stream" : " live streams");
  const seen = new Set();
  for (const s of live) {
    const id = s.app + "/" + s.key;
    seen.add(id);
    const entry = shown.get(id) || add(s);
    entry.el.querySelector(".info").textContent = describe(s);
    urlRows(entry.el.querySelector(".urls"), s);
  }
  for (const [id, entry] of shown) {
    if (!seen.has(id)) {
      entry.player.stop();
      entry.el.remove();
      shown.delete(id);
    }
  }
}

keyInput.addEventListener("change", () => {
  for (const [id, entry] of shown) {
    entry.player.stop();
    entry.el.remove();
    shown.delete(id);
  }
  refresh();
});
refresh();
setInterval(refresh, 2000);
