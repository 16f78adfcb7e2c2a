// The phone page: join a team, pick a role, play it, read the history behind each trap.
// The token that identifies this phone's seat stays in localStorage, so a reload, a locked
// screen or a Wi-Fi drop brings the player back to the same role where they were.
// Every word shown comes from the host (engine/present via payloads.py); this page only lays it
// out and lets clocks tick between updates while the team's clock runs (team.ticking).
"use strict";

const code = decodeURIComponent(location.pathname.split("/").pop() || "").toUpperCase();
const TOKEN = "qj:t:" + code;
const SEEN = "qj:seen:" + code;
const app = document.getElementById("app");
const modal = document.getElementById("modal");
let token = localStorage.getItem(TOKEN);
let view = null; // last "view" from the host
let peek = null; // team info before joining
let pickRole = "";
let receivedAt = 0;
let busy = false; // an action is on its way
let openBrief = {};
let lastNodes = {};
let resultsShown = false;
const queue = []; // notes waiting to pop up

const conn = socket(
  (api) => (token ? api.send({ t: "hello", token }) : api.send({ t: "peek", code })),
  onMessage,
);

function onMessage(msg, api) {
  if (msg.t === "team") { peek = msg; renderJoin(); }
  else if (msg.t === "joined") { token = msg.token; localStorage.setItem(TOKEN, token); }
  else if (msg.t === "view") {
    const phase = view ? view.phase : "";
    view = msg; receivedAt = performance.now(); busy = false; render();
    if (phase !== msg.phase) window.scrollTo(0, 0); // joined, or the game started: begin at the top
  }
  else if (msg.t === "ack") {
    if (!msg.ok) { busy = false; toast(msg.error); render(); }
  } else if (msg.t === "error") {
    if (msg.code === "bad_token") {
      localStorage.removeItem(TOKEN); token = null; view = null; api.send({ t: "peek", code });
    } else if (msg.code === "closed") {
      localStorage.removeItem(TOKEN); token = null; view = null;
      put(app, h("p", { class: "state-line" }, msg.error));
    } else if (msg.code === "bad_code") {
      put(app, h("h1", {}, "找不到队伍"), h("p", {}, msg.error), h("a", { href: "/" }, "输入队伍码"));
    } else { busy = false; toast(msg.error); if (view) render(); else if (peek) renderJoin(); }
  }
}

// Seconds since the last view arrived, while the game's clock runs (0 while paused or over).
function since() {
  const ticking = view && view.play && view.play.team.ticking;
  return ticking ? (performance.now() - receivedAt) / 1000 : 0;
}

// --- before the game: join and pick a role -------------------------------------------------

function roleTiles(roles, mine, onPick) {
  const tiles = roles.map((r) =>
    h("button", {
      class: "tile" + (mine === r.id ? " on" : ""), type: "button", "data-role": r.id,
      disabled: r.taken && mine !== r.id && r.taken !== (view && view.me.name) ? true : null,
      onclick: () => onPick(mine === r.id ? "" : r.id),
    },
    disc(r), h("span", { class: "tile-text" }, h("b", {}, r.name), r.title ? h("small", {}, r.title) : null,
      r.taken ? h("small", {}, "已由 " + r.taken + " 选择") : null)),
  );
  return h("div", { class: "tiles" }, tiles);
}

// The roster's names as suggestions under the name field (a guest types any other name); a host
// on the internet keeps them to itself (host --no-roster-names): members type theirs.
function rosterNames(names, hidden) {
  if (hidden) return h("p", { class: "muted", id: "roster-hint" }, "名册成员请填写名册上登记的姓名，积分会记在你名下；访客直接填名字即可。");
  if (!names || !names.length) return null;
  return [
    h("datalist", { id: "roster" }, names.map((n) => h("option", { value: n }))),
    h("p", { class: "muted", id: "roster-hint" }, "名册成员请从提示中选自己的名字，积分会记在你名下；访客直接填名字即可。"),
  ];
}

function renderJoin() {
  if (!peek) return;
  document.getElementById("bar-title").textContent = peek.name + " · " + peek.title;
  const name = h("input", { type: "text", id: "name", maxlength: 16, autocomplete: "nickname", placeholder: "例如：张三", enterkeyhint: "done", list: peek.members && peek.members.length ? "roster" : null });
  const prior = document.getElementById("name");
  if (prior) name.value = prior.value;
  const started = peek.phase !== "lobby";
  put(app,
    h("h1", {}, peek.title),
    h("p", { class: "muted" }, peek.summary),
    h("label", { class: "field", for: "name" }, "你的名字"),
    name,
    rosterNames(peek.members, peek.roster_hidden),
    started
      ? h("p", { class: "state-line" }, "这个队伍的游戏已经开始；你可以加入旁观全队进展。")
      : [h("label", { class: "field" }, "选择角色（可不选，由主持人分配）"),
         roleTiles(peek.roles, pickRole, (r) => { pickRole = r; renderJoin(); })],
    h("button", {
      class: "primary", id: "join", type: "button",
      onclick: () => {
        const n = name.value.trim();
        if (!n) { toast("请先填写名字"); name.focus(); return; }
        unlockSound();
        conn.send({ t: "join", code, name: n, role: pickRole });
      },
    }, started ? "加入旁观" : "加入队伍"),
  );
}

function renderLobby() {
  const lobby = view.lobby;
  put(app,
    h("h1", {}, "你好，" + view.me.name),
    h("p", { class: "state-line", id: "lobby-wait" }, "已加入「" + view.team_name + "」。等待主持人开始……"),
    h("h2", {}, "你的角色"),
    h("p", { class: "muted" }, view.me.pick ? "可以改选，或再点一次取消。" : "还没选：点一个角色，或留给主持人分配。"),
    roleTiles(lobby.roles, view.me.pick, (r) => conn.send({ t: "pick", role: r })),
    h("h2", {}, "队员（" + lobby.players.length + "）"),
    h("ul", { class: "team-list" }, lobby.players.map((p) => h("li", {}, p))),
  );
}

// --- during the game -----------------------------------------------------------------------

function act(role, choice) {
  if (busy) return;
  unlockSound();
  busy = true;
  for (const b of document.querySelectorAll(".choice")) b.disabled = true;
  if (!conn.send({ t: "act", aid: newId(), role: role.id, choice: choice.index, node: role.node })) busy = false;
}

function lockText(left) { return "被锁定，还需 " + Math.max(0, Math.ceil(left)) + " 秒"; }

function roleCard(role) {
  const lockedLeft = role.locked - since();
  const paused = view.play.team.paused;
  const brief = h("details", { open: openBrief[role.id] ? true : null, ontoggle: (e) => { openBrief[role.id] = e.target.open; } },
    h("summary", {}, "角色简介"), h("p", {}, role.brief));
  const body = [];
  if (role.status === "active" || role.status === "locked") {
    body.push(h("div", { class: "task-title" }, "《" + role.task_title + "》"));
    if (role.goal) body.push(h("div", { class: "goal" }, "目标：" + role.goal));
    body.push(h("p", { class: "story" }, role.text));
    if (lockedLeft > 0) body.push(h("p", { class: "state-line", "data-lock": role.id }, lockText(lockedLeft)));
    body.push(h("div", { class: "choices" }, role.choices.map((c) =>
      h("button", { class: "choice", type: "button", disabled: busy || lockedLeft > 0 || paused ? true : null,
        "data-role": role.id, "data-index": c.index, onclick: () => act(role, c) },
      h("span", { class: "num" }, c.number), h("span", {}, c.text)))));
  } else if (role.status === "waiting" && role.wait) {
    body.push(h("p", { class: "state-line" }, "等待队友："),
      h("ul", { class: "wait-lines" }, role.wait.lines.map((l) => h("li", {}, l))));
    body.push(h("p", { class: "muted", "data-wait": role.wait.seconds }, "已等待 " + clock(role.wait.seconds + since())));
  } else if (role.status === "finished") {
    body.push(h("p", { class: "state-line" }, "你的任务全部完成。看看队友还在做什么吧。"));
  }
  const card = h("section", { class: "card role", "data-role-card": role.id },
    h("div", { class: "role-head" }, h("span", { class: "who" }, disc(role), role.name), h("span", { class: "tag " + role.status }, role.status_label)),
    role.title ? h("div", { class: "muted" }, role.title) : null,
    h("div", { class: "muted" }, `任务 ${role.done}/${role.total}` + (role.traps ? ` · 陷阱 ${role.traps}` : "")),
    brief, body);
  card.style.setProperty("--role", role.color); // CSSOM: allowed by the page's content security policy
  return card;
}

// A role's disc in its colour, with its emblem (the same as the desktop's and the projector's).
function disc(r) {
  const d = h("span", { class: "disc " + (r.status || ""), "aria-hidden": "true" }, r.status === "finished" ? "✓" : r.emblem);
  if (r.color) d.style.setProperty("--role", r.color);
  return d;
}

function teamCard(team) {
  return h("section", { class: "card" },
    h("h2", {}, "全队"),
    h("ul", { class: "team-list" }, team.roles.map((r) => h("li", {},
      h("span", {}, disc(r), r.name + (r.player ? "（" + r.player + "）" : "")),
      h("span", { class: "muted" }, r.short)))),
    team.recent.length ? [h("h3", {}, "动态"), h("ul", { class: "feed" }, team.recent.slice().reverse().map((l) => h("li", {}, l)))] : null);
}

// A note as the host worded it: kicker, title, what changed, the text, its source.
function noteParts(n, heading) {
  return [
    h("div", { class: "kicker" }, n.kicker),
    n.title ? h(heading, {}, n.title) : null,
    n.facts.length ? h("ul", { class: "bites" }, n.facts.map((f) => h("li", {}, f))) : null,
    n.body ? h("p", {}, n.body_label ? h("b", {}, n.body_label + "：") : null, n.body) : null,
    n.source ? h("p", { class: "source" }, "出处：" + n.source) : null,
  ];
}

function noteBlock(n) { return h("div", { class: "note " + n.kind }, noteParts(n, "h3")); }

function results(play) {
  const r = play.results;
  return [
    h("section", { class: "card ending", id: "results" },
      h("h1", {}, r.heading),
      h("p", {}, r.text),
      h("div", { class: "big-score" }, r.score + " 分"),
      h("p", { class: "muted" }, r.parts.map((p) => `${p.label} ${p.points}`).join("　") + " · " + r.duration_line)),
    h("section", { class: "card" }, h("h2", {}, "每个人"),
      h("ul", { class: "team-list roles-list" }, r.roles.map((x) => h("li", {}, h("b", {}, x.who),
        h("span", { class: "muted" }, x.cells.join(" · ")))))),
    h("section", { class: "card" }, h("h2", {}, r.traps.length ? "陷阱里的历史" : "没有落入陷阱，真棒！"),
      r.traps.map(noteBlock)),
  ];
}

function renderPlay() {
  const play = view.play;
  const team = play.team;
  const parts = [];
  if (team.paused) {
    parts.push(h("div", { class: "paused-banner", id: "paused", role: "status" },
      h("b", {}, team.paused_title), h("span", {}, team.paused_text)));
  }
  if (play.results) parts.push(...results(play), ...quizKey(view.quiz_key));
  else if (!play.roles.length) parts.push(h("p", { class: "card state-line" }, "你在旁观这个队伍。"));
  for (const role of play.roles) {
    if (!play.results) parts.push(roleCard(role));
  }
  if (!play.results) parts.push(teamCard(team));
  const older = play.notes.filter((n) => n.kind !== "feedback");
  if (older.length && !play.results) {
    parts.push(h("section", { class: "card" }, h("details", {}, h("summary", {}, "历史讲解与事件（" + older.length + "）"),
      older.slice().reverse().map(noteBlock))));
  }
  put(app, ...parts);
  if (play.results && !resultsShown) { // the ending is at the top, and greeted
    window.scrollTo(0, 0);
    if (play.results.celebrate !== "none") {
      document.getElementById("results").append(confetti(play.results.celebrate === "big" ? 50 : 18, play.results.celebrate === "big"));
      sound("ending");
    }
  }
  resultsShown = Boolean(play.results);
  for (const role of play.roles) {
    if (lastNodes[role.id] !== undefined && lastNodes[role.id] !== role.node && role.node) {
      const card = document.querySelector(`[data-role-card="${role.id}"]`);
      if (card) card.scrollIntoView({ block: "start" });
    }
    lastNodes[role.id] = role.node;
  }
  const seen = Number(localStorage.getItem(SEEN) || 0);
  for (const n of play.notes) if (n.seq > seen && !queue.some((q) => q.seq === n.seq)) queue.push(n);
  popNote();
}

function popNote() {
  if (!modal.classList.contains("hidden") || !queue.length) return;
  const n = queue.shift();
  sound(n.kind === "trap" ? "trap" : n.kind === "event" ? "event" : "");
  const close = () => {
    localStorage.setItem(SEEN, String(Math.max(n.seq, Number(localStorage.getItem(SEEN) || 0))));
    modal.classList.add("hidden");
    put(modal);
    popNote();
  };
  put(modal, h("div", { class: "sheet " + n.kind, role: "dialog" }, noteParts(n, "h2"),
    h("button", { class: "primary", type: "button", id: "dismiss", onclick: close }, "知道了")));
  modal.classList.remove("hidden");
}

function render() {
  if (!view) return;
  document.getElementById("bar-title").textContent = view.team_name;
  if (view.phase === "lobby") renderLobby();
  else if (view.quiz) renderQuiz(view.quiz);
  else renderPlay();
  tick();
}

function tick() {
  const stats = document.getElementById("bar-stats");
  if (!view || !view.play) { stats.textContent = ""; return; }
  const t = view.play.team;
  stats.textContent = `${t.score} 分 · ${t.done}/${t.total} · ${t.paused ? "暂停 " : ""}${clock(t.elapsed + since())}`;
  for (const el of document.querySelectorAll("[data-wait]")) {
    el.textContent = "已等待 " + clock(Number(el.dataset.wait) + since());
  }
  for (const el of document.querySelectorAll("[data-lock]")) {
    const role = view.play.roles.find((r) => r.id === el.dataset.lock);
    const left = role ? role.locked - since() : 0;
    if (left <= 0) { render(); return; }
    el.textContent = lockText(left);
  }
}
setInterval(tick, 1000);

// --- the knowledge check: before play and after the ending, each player on their own phone ---

function answerQuiz(q, option) {
  if (busy) return;
  busy = true;
  for (const b of document.querySelectorAll("[data-quiz-option]")) b.disabled = true;
  if (!conn.send({ t: "quiz", aid: newId(), item: q.question.item, option: option.index, phase: q.phase })) busy = false;
}

function renderQuiz(q) {
  const parts = [h("h1", {}, q.title)];
  if (q.question) {
    if (q.answered === 0) parts.push(h("p", { class: "muted" }, q.intro));
    const question = q.question;
    parts.push(h("section", { class: "card quiz", id: "quiz" },
      h("div", { class: "task-title" }, `第 ${question.number}/${question.total} 题`),
      h("p", { class: "story" }, question.question),
      h("div", { class: "choices" }, question.options.map((o) =>
        h("button", { class: "choice", type: "button", "data-quiz-option": o.number, disabled: busy ? true : null,
          onclick: () => answerQuiz(q, o) },
        h("span", { class: "num" }, o.number), h("span", {}, o.text))))));
  } else {
    parts.push(h("p", { class: "card state-line", id: "quiz-wait" }, q.waiting));
  }
  put(app, ...parts);
}

// After the check that follows the ending: my score before and after, and every answer.
function quizKey(key) {
  if (!key) return [];
  return [h("section", { class: "card", id: "quiz-key" },
    h("h2", {}, "知识小测：答案与讲解"),
    key.mine ? h("p", { class: "state-line" }, key.mine) : null,
    key.items.map((k) => h("div", { class: "note" },
      h("h3", {}, (k.mine === true ? "✓ " : k.mine === false ? "✗ " : "") + k.question),
      h("p", {}, h("b", {}, "正确答案："), k.answer),
      h("p", {}, k.explanation),
      h("p", { class: "source" }, "出处：" + k.source))))];
}
// common.js's play(), under another name: renderPlay's ``play`` is the game's state.
function sound(kind) { if (kind) window.play(kind); }
