// The studio page: renders /api/snapshot; refreshes when /api/events says the file (or the
// play-test) changed. Every text shown comes from the server, already in Chinese.
"use strict";

const $ = (id) => document.getElementById(id);
let shownPopups = new Set();
let firstSnapshot = true;
let queue = [];
let lockTimer = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function renderHeader(s) {
  document.title = (s.title || "情景") + " · 工作台";
  $("title").textContent = s.title || "情景工作台";
  $("file").textContent = s.file;
  $("checked").textContent = s.checked_at || "—";
  const status = $("status");
  if (s.errors) {
    status.textContent = `✗ ${s.errors} 个错误` + (s.warnings ? `，${s.warnings} 个警告` : "");
    status.className = "chip bad";
  } else if (s.warnings) {
    status.textContent = `⚠ ${s.warnings} 个警告`;
    status.className = "chip warn";
  } else {
    status.textContent = "✓ 没有发现问题";
    status.className = "chip ok";
  }
}

function renderProblems(s) {
  const list = $("problem-list");
  list.replaceChildren();
  $("problem-count").textContent = s.problems.length ? `（${s.problems.length} 处）` : "";
  if (!s.problems.length) {
    list.append(el("li", { class: "none" }, "✓ 格式、引用和平衡检查都通过了"));
    return;
  }
  for (const p of s.problems) {
    const label = p.severity === "error" ? "错误" : "警告";
    list.append(
      el("li", { class: p.severity, "data-line": p.line },
        el("span", { class: "where" }, `第 ${p.line} 行，第 ${p.column} 列 · ${label}`),
        p.message,
        el("span", { class: "code" }, `[${p.code}]`),
        p.source ? el("pre", { class: "src" }, `${p.line} | ${p.source}`) : null)
    );
  }
}

function renderMap(s) {
  const box = $("map-box");
  if (box.dataset.svg !== s.map) {
    box.innerHTML = s.map || "<p class='pending'>文件还没有成功读取过，暂时没有地图。</p>";
    box.dataset.svg = s.map;
  }
  box.classList.toggle("stale", s.stale);
  for (const id of ["verify-box", "simulate-box"]) $(id).classList.toggle("stale", s.stale);
  $("map-note").classList.toggle("hidden", !s.stale);
}

function steps(list, start) {
  return el("ol", { class: "steps", start: String(start || 1) }, list.map((t) => el("li", {}, t)));
}

function renderVerify(s) {
  const box = $("verify-box");
  const v = s.verify;
  box.replaceChildren();
  if (!v) {
    box.append(el("p", { class: "pending" }, s.valid ? "正在验证…" : "文件有错误，改好后会重新验证。"));
    return;
  }
  if (s.stale) box.append(el("p", { class: "note" }, "文件里有错误：以下是上一次没有错误时的验证结果。"));
  box.append(el("p", { class: "verdict " + (v.passed ? "ok" : "bad") }, (v.passed ? "✓ " : "✗ ") + v.verdict));
  box.append(el("p", { class: "sub" }, `探索了 ${v.states} 个团队状态，用时 ${v.seconds} 秒`));
  if (v.dead.length) {
    box.append(el("h3", {}, "任何玩法都到不了的内容"));
    box.append(el("ul", {}, v.dead.map((d) => el("li", {}, el("span", { class: "where" }, `第 ${d.line} 行`), d.message))));
  }
  for (const [title, findings] of [["僵局", v.deadlocks], ["无法到达任何结局", v.unwinnable]]) {
    if (!findings.length) continue;
    box.append(el("h3", {}, title));
    for (const f of findings) {
      box.append(el("div", { class: "finding" }, el("strong", {}, f.message), "　重现步骤：", steps(f.steps),
        f.then.length ? ["接下来例如：", steps(f.then, f.steps.length + 1)] : null));
    }
  }
  if (v.endings.length) {
    box.append(el("h3", {}, "结局要走几步（任意角色的一次选择算一步）"));
    box.append(el("table", {}, el("tr", {}, el("th", {}, "结局"), el("th", {}, "最少"), el("th", {}, "最多")),
      v.endings.map((e) => el("tr", {}, el("td", {}, e.title), el("td", {}, e.shortest), el("td", {}, e.longest === null ? "无上限（有循环）" : e.longest)))));
  }
  box.append(el("p", {}, "每个角色最长连续等待：" + v.waits.map((w) => `${w.role} ${w.steps === null ? "无上限" : w.steps} 步`).join("；")));
}

function pct(x) { return `${Math.round(x * 100)}%`; }

function renderSimulate(s) {
  const box = $("simulate-box");
  const m = s.simulate;
  box.replaceChildren();
  if (!m) {
    box.append(el("p", { class: "pending" }, s.valid ? "正在模拟…" : "文件有错误，改好后会重新模拟。"));
    return;
  }
  if (s.stale) box.append(el("p", { class: "note" }, "文件里有错误：以下是上一次没有错误时的模拟结果。"));
  box.append(el("p", {}, `${m.teams} 支队伍：用时中位数 ${m.duration}，得分中位数 ${m.score}`));
  box.append(el("h3", {}, "结局分布"));
  box.append(el("table", {}, m.endings.map((e) => el("tr", {}, el("td", {}, e.title),
    el("td", {}, el("span", { class: "bar", style: `width:${Math.round(e.share * 240)}px` }), pct(e.share))))));
  box.append(el("h3", {}, "陷阱命中率"));
  box.append(el("table", {}, el("tr", {}, el("th", {}, "陷阱"), el("th", {}, "角色"), el("th", {}, "命中率")),
    m.traps.map((t) => el("tr", {}, el("td", {}, t.title), el("td", {}, t.role),
      el("td", {}, el("span", { class: "bar trap", style: `width:${Math.round(t.rate * 200)}px` }), pct(t.rate))))));
  box.append(el("h3", {}, "每个角色平均等待"));
  box.append(el("p", {}, m.waits.map((w) => `${w.role} ${w.text}`).join("；")));
}

async function post(action, body) {
  $("play-error").textContent = "";
  const res = await fetch(`/api/play/${action}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Studio": "1" },
    body: JSON.stringify(body || {}),
  });
  if (!res.ok) {
    const data = await res.json().catch(() => ({}));
    $("play-error").textContent = data.error || "操作失败";
  }
  refresh();
}

function renderPlay(s) {
  const p = s.play;
  $("play-note").textContent = s.stale ? "文件里有错误：试玩的是上一次没有错误的版本。" : s.play_note || "";
  const roles = $("roles");
  roles.replaceChildren();
  if (!p) {
    $("teambar").textContent = "文件还没有成功读取过，改好错误后就能试玩。";
    $("feed").replaceChildren();
    return;
  }
  const counters = p.counters.map(([label, value]) => `${label}：${value}`);
  $("teambar").replaceChildren(
    el("span", {}, `得分 ${p.score}`),
    el("span", {}, `进度 ${p.done} / ${p.total}`),
    ...counters.map((c) => el("span", {}, c)),
    ...(p.ending ? [el("strong", {}, `结局：${p.ending_title}`)] : [])
  );
  for (const r of p.roles) {
    const body = [];
    if (r.task_title) body.push(el("div", { class: "task" }, `《${r.task_title}》`), r.goal ? el("div", { class: "who" }, r.goal) : null);
    if (r.status === "active" || r.status === "locked") {
      body.push(el("div", { class: "text" }, r.text));
      body.push(el("div", { class: "choices" }, r.choices.map((c) =>
        el("button", { type: "button", "data-role": r.role, disabled: r.status === "locked" ? "" : null,
          onclick: () => post("choose", { role: r.role, index: c.index, node: r.node }) }, `${c.number}. ${c.text}`))));
      if (r.status === "locked") body.push(el("div", { class: "state" }, `被锁定，还需 ${Math.ceil(r.locked_seconds)} 秒`));
    } else if (r.status === "waiting") {
      body.push(el("div", { class: "state" }, r.wait_text));
    } else if (r.status === "finished") {
      body.push(el("div", { class: "state" }, "任务全部完成"));
    } else {
      body.push(el("div", { class: "state" }, "会话已结束"));
    }
    roles.append(el("div", { class: `role ${r.status}`, "data-role": r.role },
      el("h3", {}, r.name), el("div", { class: "who" }, r.title), body));
  }
  $("wait").disabled = !p.locked;
  $("feed").replaceChildren(...p.feed.slice().reverse().map((line) => el("li", {}, line)));
  if (lockTimer) clearTimeout(lockTimer);
  if (p.locked) lockTimer = setTimeout(refresh, 1000);
  for (const popup of p.popups) {
    if (shownPopups.has(popup.id)) continue;
    shownPopups.add(popup.id);
    if (!firstSnapshot) queue.push(popup);
  }
  showPopup();
}

function showPopup() {
  if (!$("popup").classList.contains("hidden") || !queue.length) return;
  const popup = queue.shift();
  $("popup").querySelector(".card").className = `card ${popup.kind}`;
  $("popup-title").textContent = popup.title;
  $("popup-text").textContent = popup.text;
  $("popup-lines").replaceChildren(...popup.lines.filter(Boolean).map((l) => el("li", {}, l)));
  $("popup-source").textContent = popup.source ? `出处：${popup.source}` : "";
  $("popup").classList.remove("hidden");
  $("popup-close").focus();
}

function closePopup() {
  $("popup").classList.add("hidden");
  showPopup();
}

async function refresh() {
  const res = await fetch("/api/snapshot", { cache: "no-store" });
  if (!res.ok) return;
  const s = await res.json();
  if (s.play === null) shownPopups = new Set();
  renderHeader(s);
  renderProblems(s);
  renderMap(s);
  renderVerify(s);
  renderSimulate(s);
  renderPlay(s);
  firstSnapshot = false;
  document.body.dataset.version = s.version;
}

function listen() {
  const source = new EventSource("/api/events");
  source.onopen = () => $("live").classList.add("on");
  source.onmessage = () => refresh();
  source.onerror = () => $("live").classList.remove("on");  // EventSource reconnects by itself
}

window.addEventListener("DOMContentLoaded", () => {
  $("reset").addEventListener("click", () => { shownPopups = new Set(); firstSnapshot = true; post("reset"); });
  $("wait").addEventListener("click", () => post("wait"));
  $("popup-close").addEventListener("click", closePopup);
  document.addEventListener("keydown", (e) => {
    if (!$("popup").classList.contains("hidden") && (e.key === "Enter" || e.key === "Escape" || e.key === " ")) {
      e.preventDefault();
      closePopup();
    }
  });
  refresh();
  listen();
});
