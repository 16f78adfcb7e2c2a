// Shared helpers for the phone page and the dashboard. Server text is only ever put into the
// page with textContent (never innerHTML), so nothing a player types can become markup.
"use strict";

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

// replaceChildren that accepts nested arrays and skips empty parts, like h().
function put(el, ...kids) {
  el.replaceChildren(...kids.flat(2).filter((k) => k !== null && k !== undefined && k !== false));
}

// A clock as engine/present/labels.format_duration words it (whole seconds, rounded down); the
// pages tick clocks between the host's updates with this.
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}

function newId() {
  const a = new Uint8Array(9);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
}

let toastTimer = 0;
function toast(text) {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.classList.remove("hidden");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.add("hidden"), 4000);
}

// A WebSocket that reconnects (phones lock, lose Wi-Fi, reload) and says so on screen.
function socket(onOpen, onMessage) {
  let ws = null;
  let retry = 0;
  const offline = document.getElementById("offline");
  const api = {
    send(obj) {
      if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(obj)); return true; }
      toast("还没连上主持人的电脑，请稍候");
      return false;
    },
    connect,
  };
  function connect() {
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) return;
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws.onopen = () => { retry = 0; offline.classList.add("hidden"); onOpen(api); };
    ws.onmessage = (e) => { try { onMessage(JSON.parse(e.data), api); } catch (err) { console.error(err); } };
    ws.onclose = () => {
      offline.classList.remove("hidden");
      setTimeout(connect, Math.min(5000, 400 * 2 ** retry++));
    };
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) connect(); });
  window.addEventListener("online", connect);
  connect();
  return api;
}

// --- sound: short tones made in the browser (nothing to download) -----------------------------
// Browsers only let a page make sound after the user touched it, so the first tap (join, the
// secret, start) unlocks it; a page never tapped stays silent. The choice is remembered.
const SOUND_KEY = "qj:sound";
let audio = null;

function soundOn() { return localStorage.getItem(SOUND_KEY) !== "off"; }
function soundLabel() { return soundOn() ? "声音：开" : "声音：关"; }

function unlockSound() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  try {
    if (!audio) audio = new Ctx();
    if (audio.state === "suspended") audio.resume();
  } catch (err) { audio = null; }
}

function toggleSound(e) {
  localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on");
  unlockSound();
  if (e && e.target) e.target.textContent = soundLabel();
}

// The same moments as the desktop game's sounds (assets/sounds): notes as [Hz, start s, length s].
const TUNES = {
  trap: [[523, 0, 0.16], [440, 0.08, 0.1], [415, 0.18, 0.3], [311, 0.3, 0.25]],
  event: [[196, 0, 0.8], [392, 0, 0.5]],
  task: [[784, 0, 0.15], [1175, 0.09, 0.25]],
  ending: [[523, 0, 0.4], [659, 0.12, 0.4], [784, 0.24, 0.4], [1047, 0.36, 0.8]],
};

function play(kind) {
  if (!audio || !soundOn() || !TUNES[kind] || audio.state !== "running") return;
  const now = audio.currentTime;
  for (const [freq, at, len] of TUNES[kind]) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "triangle";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + at);
    gain.gain.exponentialRampToValueAtTime(0.18, now + at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + at + len);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + at);
    osc.stop(now + at + len + 0.05);
  }
}

// Paper confetti over an ending: pieces placed through the CSSOM (the page's content security
// policy allows no inline styles); CSS makes them fall (and stands them still for reduced motion).
function confetti(count, big) {
  const colors = big ? ["#961818", "#c49628", "#d6261e", "#de8e14", "#f7e8be"] : ["#c49628", "#f7e8be", "#de8e14"];
  const layer = h("div", { class: "confetti", "aria-hidden": "true" });
  for (let i = 0; i < count; i++) {
    const piece = h("i");
    piece.style.left = (Math.random() * 100).toFixed(1) + "%";
    piece.style.background = colors[i % colors.length];
    piece.style.animationDelay = (Math.random() * 1.6).toFixed(2) + "s";
    piece.style.animationDuration = (2.8 + Math.random() * 2).toFixed(2) + "s";
    piece.style.setProperty("--sway", (Math.random() * 80 - 40).toFixed(0) + "px");
    layer.append(piece);
  }
  return layer;
}

// 简/繁 in the top bar. The server sends pages, scripts and every message converted once the
// cookie says Traditional (engine/web/script.py), so switching is: set the cookie, reload (a
// phone comes back to its seat with its token).
function scriptSwitch() {
  const bar = document.querySelector(".bar");
  if (!bar || bar.querySelector("[data-script-switch]")) return;
  const hant = document.documentElement.lang === "zh-Hant";
  bar.append(h("button", {
    class: "script-switch", type: "button", "data-script-switch": hant ? "zh-Hans" : "zh-Hant",
    title: hant ? "改用简体字显示" : "改用繁体字显示", "aria-label": hant ? "改用简体字显示" : "改用繁体字显示",
    onclick: (e) => {
      document.cookie = `qj_script=${e.currentTarget.dataset.scriptSwitch}; path=/; max-age=31536000; SameSite=Strict`;
      location.reload();
    },
  }, hant ? "简" : "繁"));
}
scriptSwitch();
