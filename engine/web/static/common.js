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
