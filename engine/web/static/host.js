// The organizer's dashboard, meant for the projector: per team the join QR code and link,
// then live progress, whom each role waits for, traps sprung, score and clock. Controls
// (start, pause, hint, skip, end) need the organizer's secret printed when the host started.
"use strict";

const app = document.getElementById("app");
const SECRET = "qj:host";
const fromHash = new URLSearchParams(location.hash.slice(1)).get("k");
if (fromHash) {
  sessionStorage.setItem(SECRET, fromHash);
  history.replaceState(null, "", location.pathname); // keep the secret off the projected URL bar
}
let secret = sessionStorage.getItem(SECRET) || "";
const teams = new Map(); // id -> summary
let authed = false;

const conn = socket((api) => { if (secret) api.send({ t: "host", secret }); else askSecret(); }, onMessage);

function onMessage(msg) {
  if (msg.t === "dash") {
    authed = true;
    teams.clear();
    for (const t of msg.teams) teams.set(t.id, t);
    render();
  } else if (msg.t === "team") {
    teams.set(msg.team.id, msg.team);
    const old = document.querySelector(`[data-team="${msg.team.id}"]`);
    if (old) old.replaceWith(card(msg.team)); else render();
  } else if (msg.t === "ack" && !msg.ok) toast(msg.error);
  else if (msg.t === "error") {
    toast(msg.error);
    if (msg.code === "bad_secret") { sessionStorage.removeItem(SECRET); secret = ""; askSecret(); }
  }
}

function askSecret() {
  const input = h("input", { type: "text", id: "secret", autocomplete: "off", placeholder: "终端里印出的口令" });
  const prior = document.getElementById("secret"); // the host closes a silent connection; keep what was typed
  if (prior) input.value = prior.value;
  put(app, h("form", { class: "secret-form", onsubmit: (e) => {
    e.preventDefault();
    secret = input.value.trim().toUpperCase();
    sessionStorage.setItem(SECRET, secret);
    conn.send({ t: "host", secret });
  } }, h("h1", {}, "主持人口令"), h("p", {}, "启动主持时终端里印出了口令（或直接打开终端里的链接）。"), input, h("p"),
  h("button", { class: "primary", type: "submit" }, "进入大屏")));
}

function org(op, team, extra) {
  conn.send(Object.assign({ t: "org", op, team: team || "", aid: newId() }, extra || {}));
}

// Seconds since the card holding ``el`` was drawn from fresh data (clocks tick locally between updates).
function since(el) {
  const card = el && el.closest ? el.closest("[data-at]") : null;
  return card ? (performance.now() - Number(card.dataset.at)) / 1000 : 0;
}

function roleStatus(r, ticking) {
  if (r.status === "waiting" && r.wait) {
    return h("span", {}, r.wait.sentence + " · 已等 ",
      h("span", { "data-wait": r.wait.seconds, "data-running": ticking ? 1 : 0 }, clock(r.wait.seconds)));
  }
  return r.short;
}

function card(t) {
  const kids = [h("header", {}, h("h2", {}, t.name), h("span", { class: "tag " + (t.phase === "play" ? "active" : t.phase === "over" ? "over" : "waiting") },
    t.phase === "lobby" ? "等待开始" : t.team ? t.team.status_label : "进行中"))];
  kids.push(h("div", { class: "muted" }, t.title + (t.online ? ` · 在线 ${t.online} 台手机` : "")));
  if (t.error) kids.push(h("p", { class: "traps" }, t.error));
  if (t.phase !== "over") {
    kids.push(h("div", { class: "join" + (t.phase === "play" ? " small" : "") },
      h("img", { src: `/qr/${t.code}.svg`, alt: "扫码加入 " + t.name }),
      h("div", {}, h("div", { class: "code" }, t.code), h("div", { class: "url" }, t.url))));
  }
  if (t.phase === "lobby") {
    const roles = t.lobby ? t.lobby.roles : [];
    kids.push(h("h3", {}, `已加入 ${t.seats.length} 人 / ${roles.length} 个角色`));
    kids.push(quizOption(t));
    kids.push(seatList(t, (s) => s.pick ? (roles.find((r) => r.id === s.pick) || {}).name : "由主持人分配"));
    kids.push(h("div", { class: "ctl-row" },
      h("button", { class: "primary", type: "button", "data-op": "start", disabled: t.seats.length ? null : true, onclick: () => org("start", t.id, quizStart(t)) }, "开始游戏"),
      h("button", { class: "secondary", type: "button", onclick: () => confirm(`移除「${t.name}」？`) && org("close", t.id) }, "移除")));
    return h("article", { class: "tcard", "data-team": t.id, "data-at": performance.now() }, kids);
  }
  const s = t.team;
  const pct = s.total ? Math.round((100 * s.done) / s.total) : 0;
  kids.push(h("div", { class: "meter" }, h("span", { "data-elapsed": s.elapsed, "data-running": s.ticking ? 1 : 0 }, "用时 " + s.clock),
    h("span", {}, `得分 ${s.score}`), h("span", {}, `任务 ${s.done}/${s.total}`)));
  if (s.paused) kids.push(h("div", { class: "paused-banner", "data-paused": t.id }, h("b", {}, s.paused_title), h("span", {}, s.paused_text)));
  const fill = h("i");
  fill.style.width = pct + "%"; // CSSOM, allowed by the page's content security policy
  kids.push(h("div", { class: "progress" }, fill));
  if (s.results) kids.push(h("p", { class: "state-line" }, s.results.heading), h("p", { class: "muted" }, s.results.score_line + " · " + s.results.duration_line));
  kids.push(h("table", { class: "roles" }, s.roles.map((r) => h("tr", {},
    h("td", {}, h("b", {}, r.name), h("div", { class: "muted" }, r.player)),
    h("td", {}, roleStatus(r, s.ticking), h("div", { class: "muted" }, `任务 ${r.done}/${r.total}` + (r.traps ? ` · 陷阱 ${r.traps}` : ""))),
    t.phase === "play" ? h("td", { class: "ctl" },
      h("button", { class: "secondary", type: "button", title: "给提示", onclick: () => org("hint", t.id, { role: r.id }) }, "提示"), " ",
      h("button", { class: "secondary", type: "button", title: "跳过当前任务", onclick: () => confirm(`跳过 ${r.name} 当前的任务？（记入日志，不得分）`) && org("skip", t.id, { role: r.id }) }, "跳过")) : null))));
  if (t.quiz) kids.push(quizProgress(t));
  if (t.phase === "play" && t.seats.length) kids.push(seatDetails(t));
  if (s.traps.length) kids.push(h("p", { class: "traps" }, "陷阱：" + s.traps.map((x) => `${x.title}（${x.role}）`).join("、")));
  if (s.recent.length) kids.push(h("ul", { class: "feed" }, s.recent.slice().reverse().map((l) => h("li", {}, l))));
  const ctl = [];
  if (t.phase === "play") {
    ctl.push(s.status === "paused"
      ? h("button", { class: "secondary", type: "button", onclick: () => org("unpause", t.id) }, "继续")
      : h("button", { class: "secondary", type: "button", onclick: () => org("pause", t.id) }, "暂停"));
    ctl.push(h("button", { class: "secondary", type: "button", onclick: () => confirm(`结束「${t.name}」的游戏？`) && org("abandon", t.id) }, "结束游戏"));
  } else ctl.push(h("button", { class: "secondary", type: "button", onclick: () => confirm(`从大屏移除「${t.name}」？（记录仍保存在数据库中）`) && org("close", t.id) }, "移除"));
  kids.push(h("div", { class: "ctl-row" }, ctl));
  return h("article", { class: "tcard", "data-team": t.id, "data-at": performance.now() }, kids);
}

// The phones seated in a team, each with 释放: freeing a seat lets its player join again under
// the same name on any phone (a lost phone, a cleared browser) and get their roles back.
function seatList(t, note) {
  return h("ul", { class: "team-list" }, t.seats.map((s) => h("li", { "data-seat": s.id },
    h("span", {}, s.name, s.online ? "" : h("span", { class: "muted" }, "（离线）")),
    h("span", { class: "muted" }, note(s)),
    h("button", {
      class: "secondary", type: "button", title: "释放座位：这台手机退出，玩家可用新手机以同一名字重新加入",
      onclick: () => confirm(`释放「${s.name}」的座位？\n那台手机会退出；${s.name} 可以用任何手机扫码、填写同一名字「${s.name}」接回自己的角色。`)
        && org("free_seat", t.id, { seat: s.id }),
    }, "释放"))));
}

// Folded away while the game runs (the projector shows the play); stays open across updates once opened.
const seatsOpen = new Set();
function seatDetails(t) {
  return h("details", { class: "seats", open: seatsOpen.has(t.id) ? true : null,
    ontoggle: (e) => { if (e.target.open) seatsOpen.add(t.id); else seatsOpen.delete(t.id); } },
  h("summary", {}, `手机座位（${t.seats.length}）：换手机、找回座位`), seatList(t, () => ""));
}

function render() {
  if (!authed) return;
  const name = h("input", { type: "text", id: "team-name", maxlength: 16, placeholder: "队名（可空）" });
  put(app,
    h("div", { class: "dash-head" },
      h("div", {}, h("h1", {}, "请各队用手机扫码加入"), h("p", { class: "muted" }, "手机需连接与这台电脑相同的 Wi-Fi；无需安装任何应用。")),
      h("form", { onsubmit: (e) => { e.preventDefault(); org("new_team", "", { name: name.value.trim() }); name.value = ""; } },
        name, h("button", { class: "secondary", type: "submit", id: "new-team" }, "新建队伍"))),
    h("div", { class: "grid" }, [...teams.values()].map(card)));
}

function tick() {
  document.getElementById("bar-stats").textContent = authed ? `${teams.size} 支队伍` : "";
  for (const el of document.querySelectorAll("[data-elapsed]")) {
    const run = el.dataset.running === "1";
    el.textContent = "用时 " + clock(Number(el.dataset.elapsed) + (run ? since(el) : 0));
  }
  for (const el of document.querySelectorAll("[data-wait]")) {
    el.textContent = clock(Number(el.dataset.wait) + (el.dataset.running === "1" ? since(el) : 0));
  }
}
setInterval(tick, 1000);

// --- the knowledge check: asked at the start unless the organizer unticks it; skip while it runs ---

const quizOff = new Set(); // teams whose check the organizer unticked (kept across updates)
function quizOption(t) {
  if (!t.lobby || !t.lobby.quiz) return null;
  return h("label", { class: "quiz-option" },
    h("input", { type: "checkbox", "data-quiz": t.id, checked: quizOff.has(t.id) ? null : true,
      onchange: (e) => { if (e.target.checked) quizOff.delete(t.id); else quizOff.add(t.id); } }),
    ` 知识小测：开局前和结束后各答 ${t.lobby.quiz} 题（每人在自己的手机上）`);
}

function quizStart(t) { return { quiz: quizOff.has(t.id) ? "skip" : "ask" }; }

function quizProgress(t) {
  return h("div", { class: "quiz-progress", "data-quiz-progress": t.id },
    h("p", { class: "state-line" }, t.quiz.line),
    h("p", { class: "muted" }, t.quiz.players.map((p) => `${p.name} ${p.done}/${p.total}`).join(" · ")),
    h("button", { class: "secondary", type: "button", "data-op": "skip_quiz",
      onclick: () => confirm(`跳过「${t.name}」的${t.quiz.title}？没答的题不再问（记入日志）。`) && org("skip_quiz", t.id) },
    "跳过知识小测"));
}
