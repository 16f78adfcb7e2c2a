// The organizer's dashboard, made for the projector: teams joining get a QR code and their link;
// teams playing are ranked live in large type (score, progress, danger, each role's disc in its
// colour); finished teams fold into one line. The moments the room should share come up over it:
// a team's trap with its history, a team's ending with its score breakdown and a celebration.
// Controls (start, pause, hint, skip, end) need the organizer's secret printed when the host
// started. Every word and figure comes from the host (engine/present via payloads.py).
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
const known = new Map(); // id -> { traps: Set of seqs, over } as last seen
const moments = []; // { kind: "trap" | "ending", team, note }
const MOMENT_MS = { trap: 14000, ending: 16000 };
let authed = false;
let momentTimer = 0;

const conn = socket((api) => { if (secret) api.send({ t: "host", secret }); else askSecret(); }, onMessage);

function onMessage(msg) {
  if (msg.t === "dash") {
    authed = true;
    teams.clear();
    for (const t of msg.teams) { teams.set(t.id, t); remember(t); }
    render();
  } else if (msg.t === "team") {
    teams.set(msg.team.id, msg.team);
    remember(msg.team);
    render();
  } else if (msg.t === "ack" && !msg.ok) toast(msg.error);
  else if (msg.t === "error") {
    toast(msg.error);
    if (msg.code === "bad_secret") { sessionStorage.removeItem(SECRET); secret = ""; askSecret(); }
  }
}

// New traps and endings since the last look become moments for the room; a team seen for the
// first time (a reload, a restart) brings nothing old back.
function remember(t) {
  const s = t.team;
  if (!s) return;
  const prev = known.get(t.id);
  if (prev) {
    for (const n of s.trap_notes) if (!prev.traps.has(n.seq)) moments.push({ kind: "trap", team: t.id, note: n });
    if (s.results && !prev.over) moments.push({ kind: "ending", team: t.id });
  }
  known.set(t.id, { traps: new Set(s.trap_notes.map((n) => n.seq)), over: Boolean(s.results) });
  showMoment();
}

function askSecret() {
  const input = h("input", { type: "text", id: "secret", autocomplete: "off", placeholder: "终端里印出的口令" });
  const prior = document.getElementById("secret"); // the host closes a silent connection; keep what was typed
  if (prior) input.value = prior.value;
  put(app, h("form", { class: "secret-form", onsubmit: (e) => {
    e.preventDefault();
    secret = input.value.trim().toUpperCase();
    sessionStorage.setItem(SECRET, secret);
    unlockSound();
    conn.send({ t: "host", secret });
  } }, h("h1", {}, "主持人口令"), h("p", {}, "启动主持时终端里印出了口令（或直接打开终端里的链接）。"), input, h("p"),
  h("button", { class: "primary", type: "submit" }, "进入大屏")));
}

function org(op, team, extra) {
  conn.send(Object.assign({ t: "org", op, team: team || "", aid: newId() }, extra || {}));
}

// Seconds since the row holding ``el`` was drawn from fresh data (clocks tick locally between updates).
function since(el) {
  const row = el && el.closest ? el.closest("[data-at]") : null;
  return row ? (performance.now() - Number(row.dataset.at)) / 1000 : 0;
}

// Rank key order (the host's engine/present/board.py decides it): best first; ties share a rank.
function ranked(list) {
  const cmp = (a, b) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return 0; };
  const order = list.slice().sort((a, b) => cmp(a.team.rank_key, b.team.rank_key));
  let rank = 0;
  return order.map((t, i) => {
    if (i === 0 || cmp(order[i - 1].team.rank_key, t.team.rank_key) !== 0) rank = i + 1;
    return { rank, t };
  });
}

// --- pieces ---------------------------------------------------------------------------------

function disc(r, size) {
  const d = h("span", { class: "disc " + r.status, title: `${r.name}${r.player ? "（" + r.player + "）" : ""}：${r.status_label}` },
    r.status === "finished" ? "✓" : r.emblem);
  d.style.setProperty("--role", r.color); // CSSOM: allowed by the page's content security policy
  if (size) d.classList.add(size);
  return d;
}

function meter(m) {
  const pips = [];
  for (let i = 0; i < m.limit; i++) pips.push(h("i", { class: i < m.value ? "on" : "" }));
  return h("span", { class: "meter-pill " + m.level, title: m.label }, h("b", {}, m.label), h("span", { class: "pips" }, pips), h("span", {}, m.text));
}

function progress(s) {
  const fill = h("i");
  fill.style.width = (s.total ? Math.round((100 * s.done) / s.total) : 0) + "%";
  return h("span", { class: "prog" }, h("span", { class: "progress" }, fill),
    h("b", {}, `${s.done}/${s.total}`), s.extra_total ? h("small", {}, ` 补救 ${s.extra_done}/${s.extra_total}`) : null);
}

function row(rank, t) {
  const s = t.team;
  const kids = [
    h("span", { class: "rank r" + rank }, rank),
    h("h2", { class: "who" }, t.name),
    h("span", { class: "clock", "data-elapsed": s.elapsed, "data-running": s.ticking ? 1 : 0 }, (s.paused ? "暂停 " : "") + clock(s.elapsed)),
    h("span", { class: "score" }, s.score, h("small", {}, " 分")),
    progress(s),
    h("span", { class: "meters" }, s.meters.map(meter),
      s.counters.filter((c) => !s.meters.some((m) => m.label === c.label)).map((c) => h("span", { class: "counter" }, `${c.label} ${c.value}`))),
    h("span", { class: "discs" }, s.roles.map((r) => disc(r))),
    h("span", { class: "ctl" },
      s.status === "paused"
        ? h("button", { class: "secondary", type: "button", onclick: () => org("unpause", t.id) }, "继续")
        : h("button", { class: "secondary", type: "button", onclick: () => org("pause", t.id) }, "暂停"),
      roleControls(t), seatDetails(t)),
  ];
  if (s.paused) kids.push(h("div", { class: "paused-banner", "data-paused": t.id }, h("b", {}, s.paused_title), h("span", {}, s.paused_text)));
  if (t.quiz) kids.push(quizProgress(t));
  if (t.error) kids.push(h("p", { class: "traps" }, t.error));
  return h("article", { class: "trow" + (s.paused ? " paused" : ""), "data-team": t.id, "data-at": performance.now() }, kids);
}

// Hints, skips and ending a game: folded away on the projector; stays open across updates once opened.
const open = { more: new Set(), seats: new Set() };
function folded(kind, t, summary, body) {
  return h("details", { class: kind, open: open[kind].has(t.id) ? true : null,
    ontoggle: (e) => { if (e.target.open) open[kind].add(t.id); else open[kind].delete(t.id); } },
  h("summary", {}, summary), h("div", { class: "pop" }, body));
}

function roleControls(t) {
  const s = t.team;
  // hints and skips are for the game: during the knowledge check the rules would refuse them
  const asking = t.quiz ? { disabled: true, title: "知识小测进行中，答完或跳过小测后可用" } : null;
  return folded("more", t, "操作", [
    h("ul", { class: "team-list" }, s.roles.map((r) => h("li", {},
      h("span", {}, disc(r, "small"), " ", h("b", {}, r.name), r.player ? `（${r.player}）` : "",
        h("div", { class: "muted" }, r.wait ? r.wait.lines.join("；") : r.situation)),
      h("span", { class: "row-buttons" },
        h("button", { class: "secondary", type: "button", "data-op": "hint", title: "给提示", onclick: () => org("hint", t.id, { role: r.id }), ...asking }, "提示"),
        h("button", { class: "secondary", type: "button", "data-op": "skip", title: "跳过当前任务", onclick: () => confirm(`跳过 ${r.name} 当前的任务？（记入日志，不得分）`) && org("skip", t.id, { role: r.id }), ...asking }, "跳过"))))),
    h("button", { class: "secondary", type: "button", onclick: () => confirm(`结束「${t.name}」的游戏？`) && org("abandon", t.id) }, "结束游戏"),
  ]);
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

function seatDetails(t) {
  return folded("seats", t, `座位 ${t.seats.length}`, [h("p", { class: "muted" }, "换手机、找回座位："), seatList(t, () => "")]);
}

function joinCard(t) {
  const roles = t.lobby ? t.lobby.roles : [];
  const kids = [
    h("header", {}, h("h2", {}, t.name), h("span", { class: "tag waiting" }, "等待开始")),
    h("div", { class: "join" },
      h("img", { src: `/qr/${t.code}.svg`, alt: "扫码加入 " + t.name }),
      h("div", {}, h("div", { class: "code" }, t.code), h("div", { class: "url" }, urlParts(t.url)),
        h("div", { class: "muted" }, `已加入 ${t.seats.length} 人 · ${roles.length} 个角色` + (t.online ? ` · 在线 ${t.online}` : "")))),
  ];
  if (t.error) kids.push(h("p", { class: "traps" }, t.error));
  kids.push(seatList(t, (s) => s.pick ? (roles.find((r) => r.id === s.pick) || {}).name : "由主持人分配"));
  kids.push(h("div", { class: "ctl-row" }, quizOption(t),
    h("button", { class: "primary", type: "button", "data-op": "start", disabled: t.seats.length ? null : true, onclick: () => { unlockSound(); org("start", t.id, quizStart(t)); } }, "开始游戏"),
    h("button", { class: "secondary", type: "button", onclick: () => confirm(`移除「${t.name}」？`) && org("close", t.id) }, "移除")));
  return h("article", { class: "tcard join-card", "data-team": t.id }, kids);
}

// A link that may wrap only after a "/" (never inside the team code or the address).
function urlParts(url) {
  return url.split(/(?<=\/)/).flatMap((part, i) => [i ? h("wbr") : null, h("span", {}, part)]);
}

function finishedChip(rank, t) {
  const r = t.team.results;
  return h("article", { class: "fin r" + rank, "data-team": t.id },
    h("button", { class: "fin-open", type: "button", title: "再看一次结局", onclick: () => { moments.unshift({ kind: "ending", team: t.id }); closeMoment(false); showMoment(); } },
      h("span", { class: "rank r" + rank }, rank), h("b", {}, t.name), h("span", { class: "state-line" }, r.heading), h("span", { class: "score" }, r.score + " 分")),
    h("button", { class: "fin-close", type: "button", title: "从大屏移除（记录仍保存）", onclick: () => confirm(`从大屏移除「${t.name}」？（记录仍保存在数据库中）`) && org("close", t.id) }, "×"));
}

// --- the page ---------------------------------------------------------------------------------

function head() {
  const name = h("input", { type: "text", id: "team-name", maxlength: 16, placeholder: "队名（可空）" });
  return h("div", { class: "dash-head" },
    h("h1", { id: "dash-title" }, ""),
    h("form", { onsubmit: (e) => { e.preventDefault(); org("new_team", "", { name: name.value.trim() }); name.value = ""; } },
      name, h("button", { class: "secondary", type: "submit", id: "new-team" }, "新建队伍"),
      h("button", { class: "secondary", type: "button", id: "sound", onclick: toggleSound }, soundLabel())));
}

function render() {
  if (!authed) return;
  if (!document.getElementById("board")) put(app, head(), h("div", { id: "board" }));
  const all = [...teams.values()];
  const playing = all.filter((t) => t.team);
  const joining = all.filter((t) => !t.team);
  const order = ranked(playing);
  // a team answering the check after its ending stays on the board until the check is done
  const live = order.filter(({ t }) => !t.team.results || t.quiz);
  const done = order.filter(({ t }) => t.team.results && !t.quiz);
  const title = all[0] ? all[0].title : "";
  document.getElementById("dash-title").textContent =
    live.length ? `${title} · 实时排名` : done.length && !joining.length ? `${title} · 各队都已结束` : "请各队用手机扫码加入";
  const board = document.getElementById("board");
  board.className = "board" + (playing.length && joining.length ? " split" : "") + (playing.length ? "" : " lobby-only");
  // teams still joining: a band of small cards above the ranking once others play
  // fewer teams, larger rows: the projector's room is shared by the teams still playing
  board.style.setProperty("--row-scale", live.length <= 3 ? "1.3" : live.length <= 5 ? "1.12" : "1");
  // and fewer teams joining, larger QR codes (a phone must read them from the back of the room)
  const n = joining.length;
  board.style.setProperty("--qr", playing.length ? "min(5em, 13vh)" : n <= 1 ? "min(42vh, 30vw)" : n <= 2 ? "min(36vh, 24vw)" : n <= 4 ? "min(30vh, 14vw)" : "min(14vh, 11vw)");
  board.style.setProperty("--cols", String(Math.min(4, Math.max(1, n))));
  if (n > 2) board.classList.add("many");
  put(board,
    joining.length ? h("section", { class: "joining" }, playing.length ? h("h3", {}, "还在等队员加入：") : null, joining.map(joinCard)) : null,
    playing.length ? h("section", { class: "ranks" }, live.map(({ rank, t }) => row(rank, t)),
      done.length ? h("div", { class: "finished" }, h("b", {}, "已结束"), done.map(({ rank, t }) => finishedChip(rank, t))) : null) : null);
  tick();
}

// --- moments: a trap, an ending, for the whole room ------------------------------------------

function showMoment() {
  const layer = document.getElementById("moment");
  if (!layer.classList.contains("hidden") || !moments.length) return;
  const m = moments[0];
  const t = teams.get(m.team);
  if (!t || !t.team) { moments.shift(); showMoment(); return; }
  const card = m.kind === "trap" ? trapCard(t, m.note) : endingCard(t);
  put(layer, card);
  layer.classList.remove("hidden");
  play(m.kind === "trap" ? "trap" : "ending");
  clearTimeout(momentTimer);
  momentTimer = setTimeout(() => closeMoment(true), MOMENT_MS[m.kind]);
}

function closeMoment(next) {
  const layer = document.getElementById("moment");
  if (layer.classList.contains("hidden")) return;
  clearTimeout(momentTimer);
  layer.classList.add("hidden");
  put(layer);
  moments.shift();
  if (next) showMoment();
}

function trapCard(t, n) {
  return h("div", { class: "room-card trap", role: "dialog" },
    h("div", { class: "band" }, h("div", { class: "kicker" }, `${n.kicker} · ${t.name}`), h("h2", {}, n.title)),
    h("div", { class: "inner" },
      n.facts.length ? h("ul", { class: "bites" }, n.facts.map((f) => h("li", {}, f))) : null,
      h("div", { class: "label" }, n.body_label || "历史讲解"),
      h("p", { class: "body" }, n.body),
      n.source ? h("p", { class: "source" }, "出处：" + n.source) : null),
    h("i", { class: "timer" }));
}

function endingCard(t) {
  const r = t.team.results;
  const rank = (ranked([...teams.values()].filter((x) => x.team)).find((x) => x.t.id === t.id) || {}).rank || "";
  const card = h("div", { class: "room-card ending " + r.celebrate, role: "dialog" },
    h("div", { class: "band" }, h("div", { class: "kicker" }, `第 ${rank} 名 · ${t.name}`), h("h2", {}, r.heading)),
    h("div", { class: "inner" },
      h("div", { class: "tally" }, h("span", { class: "big-score" }, r.score + " 分"),
        h("span", { class: "parts" }, r.parts.map((p) => h("span", {}, `${p.label} ${p.points}`)), h("small", {}, r.duration_line))),
      h("p", { class: "body" }, r.text),
      h("ul", { class: "team-list" }, r.roles.map((x) => h("li", {}, h("b", {}, x.who), h("span", {}, x.cells.join(" · ")))))),
    h("i", { class: "timer" }));
  if (r.celebrate !== "none") card.append(confetti(r.celebrate === "big" ? 80 : 26, r.celebrate === "big"));
  return card;
}

function tick() {
  document.getElementById("bar-stats").textContent = authed ? `${teams.size} 支队伍` : "";
  for (const el of document.querySelectorAll("[data-elapsed]")) {
    if (el.dataset.running === "1") el.textContent = clock(Number(el.dataset.elapsed) + since(el));
  }
}
setInterval(tick, 1000);

// --- the knowledge check: asked at the start unless the organizer unticks it; skip while it runs ---

const quizOff = new Set(); // teams whose check the organizer unticked (kept across updates)
function quizOption(t) {
  if (!t.lobby || !t.lobby.quiz) return null;
  // beside the start button, one short line: the projector has no room to spare for 8 teams
  return h("label", { class: "quiz-option", title: `开局前和结束后各答 ${t.lobby.quiz} 题，每人在自己的手机上；不勾选则本局跳过（记入日志）` },
    h("input", { type: "checkbox", "data-quiz": t.id, checked: quizOff.has(t.id) ? null : true,
      onchange: (e) => { if (e.target.checked) quizOff.delete(t.id); else quizOff.add(t.id); } }),
    " 小测");
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
document.getElementById("moment").addEventListener("click", () => closeMoment(true));
document.addEventListener("keydown", (e) => { if (e.key === "Escape" || e.key === "Enter") closeMoment(true); });
