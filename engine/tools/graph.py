"""The scenario map: roles as swim lanes, tasks as boxes, dependencies as arrows, endings last.

    layout(scenario) -> Layout         positions in pixels, shared by every renderer
    to_dot(scenario) / to_mermaid(scenario) / to_svg(scenario) -> str

PNG is drawn by :mod:`engine.ui.graph_png` (pygame lives in ``engine/ui``) from the same layout.
Columns follow the plan: a task sits right of every task it needs and of its role's previous
task; team events and endings sit right of what triggers them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape

from engine.format.conditions import iter_conditions
from engine.format.model import Condition, EventCondition, TaskDoneCondition, TrapCondition
from engine.format.scenario import Scenario

BOX_W, BOX_H = 168, 76
COL_GAP, LANE_H, LABEL_W, TOP = 64, 116, 132, 56
FONT = 14
LINE_CHARS = 10  # Chinese characters per line inside a box


@dataclass
class Box:
    """A task, team event or ending, placed at (x, y) with its text lines."""

    id: str
    kind: str  # task | remedial | event | ending
    lines: list[str]
    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H
    traps: list[str] = field(default_factory=list)  # trap titles


@dataclass(frozen=True)
class Arrow:
    src: str
    dst: str
    kind: str  # needs | opens | event | ending | cancels


@dataclass
class Layout:
    title: str
    width: float
    height: float
    lanes: list[tuple[str, float]]  # (label, y of the lane's top)
    boxes: dict[str, Box]
    arrows: list[Arrow]


def _refs(cond: Condition | None) -> tuple[set[str], set[str], set[str]]:
    tasks: set[str] = set()
    events: set[str] = set()
    traps: set[str] = set()
    if cond is not None:
        for leaf, _ in iter_conditions(cond, ()):
            if isinstance(leaf, TaskDoneCondition):
                tasks.add(leaf.task_done)
            elif isinstance(leaf, EventCondition):
                events.add(leaf.event)
            elif isinstance(leaf, TrapCondition):
                traps.add(leaf.trap)
    return tasks, events, traps


def wrap(text: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """Split by display width (a Chinese character counts 1, a Latin one 1/2)."""
    out: list[str] = []
    line, used = "", 0.0
    for ch in text.strip():
        w = 1.0 if ord(ch) > 0x2E80 else 0.55
        if used + w > width:
            out.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], out[lines - 1][:-1] + "…"]
    return out


def layout(scenario: Scenario) -> Layout:
    s = scenario
    trap_task = {trap: site.task for trap, site in s.traps.items()}
    needs: dict[str, set[str]] = {}
    arrows: list[Arrow] = []
    for task in s.tasks.values():
        tasks, events, traps = _refs(task.requires)
        needs[task.id] = tasks | {"@" + e for e in events} | {trap_task[t] for t in traps if t in trap_task}
        arrows += [Arrow(d, task.id, "needs") for d in sorted(tasks)]
        arrows += [Arrow("@" + e, task.id, "event") for e in sorted(events)]
    for _trap, site in s.traps.items():
        for opened in site.trap.open_tasks:
            needs.setdefault(opened, set()).add(site.task)
            arrows.append(Arrow(site.task, opened, "opens"))
    for event in s.data.events:
        tasks, events, _ = _refs(event.when)
        needs["@" + event.id] = tasks | {"@" + e for e in events}
        arrows += [Arrow(d, "@" + event.id, "needs") for d in sorted(tasks)]
        arrows += [Arrow("@" + e, "@" + event.id, "event") for e in sorted(events)]
        for opened in event.open_tasks:
            needs.setdefault(opened, set()).add("@" + event.id)
            arrows.append(Arrow("@" + event.id, opened, "opens"))
        arrows += [Arrow("@" + event.id, t, "cancels") for t in event.cancel_tasks]
    for tasks_of_role in s.role_tasks.values():
        for before, after in itertools.pairwise(tasks_of_role):
            needs.setdefault(after, set()).add(before)
    items = [*s.tasks, *("@" + e for e in s.events)]
    column = dict.fromkeys(items, 0)
    for _ in range(len(items)):  # longest-path relaxation; stops early, and on loops after n rounds
        changed = False
        for item in items:
            value = 1 + max((column[d] for d in needs.get(item, ()) if d in column), default=-1)
            if value > column[item]:
                column[item] = value
                changed = True
        if not changed:
            break
    last = max(column.values(), default=0)
    lanes: list[tuple[str, float]] = []
    boxes: dict[str, Box] = {}
    y = TOP
    if s.events:
        lanes.append(("团队事件", y))
        for event in s.data.events:
            c = column["@" + event.id]
            boxes["@" + event.id] = Box(event.id, "event", wrap(event.title), _x(c), y + 20)
        y += LANE_H
    for role in s.data.roles:
        label = role.name + (f"\n{role.title}" if role.title else "")
        lanes.append((label, y))
        for task_id in s.role_tasks.get(role.id, []):
            task = s.tasks[task_id]
            titles = [c.trap.title for n in task.nodes for c in n.choices if c.trap is not None]
            kind = "remedial" if task.remedial else "task"
            boxes[task_id] = Box(task_id, kind, wrap(task.title), _x(column[task_id]), y + 20, traps=titles)
        y += LANE_H
    end_col = last + 1
    ending_y = TOP + 20
    for ending in s.data.endings:
        tasks, events, _ = _refs(ending.when)
        boxes["!" + ending.id] = Box(ending.id, "ending", wrap(ending.title), _x(end_col), ending_y)
        ending_y += BOX_H + 24
        arrows += [Arrow(t, "!" + ending.id, "ending") for t in sorted(tasks)]
        arrows += [Arrow("@" + e, "!" + ending.id, "ending") for e in sorted(events)]
    lanes.append(("结局", TOP))
    height = max(y, ending_y) + 24
    width = _x(end_col) + BOX_W + 40
    arrows = [a for a in dict.fromkeys(arrows) if a.src in boxes and a.dst in boxes]
    return Layout(s.title, width, height, lanes, boxes, arrows)


def _x(column: int) -> float:
    return LABEL_W + 24 + column * (BOX_W + COL_GAP)


# --- DOT and Mermaid -------------------------------------------------------------------------------


def _gid(key: str) -> str:
    prefix = {"@": "e_", "!": "x_"}.get(key[0], "t_")
    body = key[1:] if key[0] in "@!" else key
    return prefix + body.replace("-", "_")


def _label(box: Box) -> str:
    text = "".join(box.lines)
    if box.traps:
        text += f"\n⚠ 陷阱 ×{len(box.traps)}"
    return text


def to_dot(scenario: Scenario) -> str:
    lay = layout(scenario)

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    out = [
        "digraph scenario {",
        "  rankdir=LR;",
        f'  label={q(lay.title)}; labelloc=t; fontname="Noto Sans CJK SC";',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Noto Sans CJK SC"];',
        '  edge [fontname="Noto Sans CJK SC"];',
    ]
    groups: list[tuple[str, list[Box]]] = []
    if scenario.events:
        groups.append(("团队事件", [b for k, b in lay.boxes.items() if k[0] == "@"]))
    for role in scenario.data.roles:
        groups.append((role.name, [lay.boxes[t] for t in scenario.role_tasks.get(role.id, [])]))
    groups.append(("结局", [b for k, b in lay.boxes.items() if k[0] == "!"]))
    keys = {id(b): k for k, b in lay.boxes.items()}
    for i, (name, members) in enumerate(groups):
        out.append(f"  subgraph cluster_{i} {{")
        out.append(f'    label={q(name)}; style=filled; fillcolor="#f4f1ea";')
        for box in members:
            attrs = [f"label={q(_label(box))}"]
            if box.kind == "remedial":
                attrs.append('style="rounded,dashed,filled"')
            if box.kind == "event":
                attrs.append('shape=hexagon, fillcolor="#fff3c4"')
            if box.kind == "ending":
                attrs.append('shape=doubleoctagon, fillcolor="#e3f1e0"')
            if box.traps:
                attrs.append('color="#b3261e", penwidth=2')
            out.append(f"    {_gid(keys[id(box)])} [{', '.join(attrs)}];")
        out.append("  }")
    style = {
        "needs": "",
        "event": "",
        "ending": ' [color="#2e7d32"]',
        "opens": ' [style=dashed, color="#b3261e", label="陷阱/事件打开"]',
        "cancels": ' [style=dotted, color="#555555", label="中断"]',
    }
    for a in lay.arrows:
        out.append(f"  {_gid(a.src)} -> {_gid(a.dst)}{style[a.kind]};")
    out.append("}")
    return "\n".join(out) + "\n"


def to_mermaid(scenario: Scenario) -> str:
    lay = layout(scenario)

    def q(text: str) -> str:
        return '"' + escape(text, quote=True).replace("\n", "<br/>") + '"'

    out = ["flowchart LR"]
    if scenario.events:
        out.append('  subgraph lane_events["团队事件"]')
        for key, box in lay.boxes.items():
            if key[0] == "@":
                out.append(f"    {_gid(key)}{{{{{q(_label(box))}}}}}")
        out.append("  end")
    for i, role in enumerate(scenario.data.roles):
        out.append(f"  subgraph lane_{i}[{q(role.name)}]")
        out.append("    direction LR")
        for task_id in scenario.role_tasks.get(role.id, []):
            out.append(f"    {_gid(task_id)}[{q(_label(lay.boxes[task_id]))}]")
        out.append("  end")
    out.append('  subgraph lane_endings["结局"]')
    for key, box in lay.boxes.items():
        if key[0] == "!":
            out.append(f"    {_gid(key)}([{q(_label(box))}])")
    out.append("  end")
    link = {"needs": "-->", "event": "-->", "ending": "==>", "opens": "-. 打开 .->", "cancels": "-. 中断 .->"}
    for a in lay.arrows:
        out.append(f"  {_gid(a.src)} {link[a.kind]} {_gid(a.dst)}")
    for key, box in lay.boxes.items():
        if box.traps:
            out.append(f"  style {_gid(key)} stroke:#b3261e,stroke-width:3px")
        elif box.kind == "remedial":
            out.append(f"  style {_gid(key)} stroke-dasharray: 5 5")
    return "\n".join(out) + "\n"


# --- SVG ----------------------------------------------------------------------------------------------

FILL = {"task": "#ffffff", "remedial": "#fff8f0", "event": "#fff3c4", "ending": "#e3f1e0"}
ARROW_COLOR = {
    "needs": "#444",
    "event": "#8a6d00",
    "ending": "#2e7d32",
    "opens": "#b3261e",
    "cancels": "#777",
}


def anchor_points(src: Box, dst: Box) -> tuple[float, float, float, float]:
    """Where an arrow leaves ``src`` and enters ``dst`` (right edge -> left edge, or vertical)."""
    if dst.x > src.x + 1:
        return src.x + src.w, src.y + src.h / 2, dst.x, dst.y + dst.h / 2
    if dst.y > src.y:
        return src.x + src.w / 2, src.y + src.h, dst.x + dst.w / 2, dst.y
    return src.x + src.w / 2, src.y, dst.x + dst.w / 2, dst.y + dst.h


def to_svg(scenario: Scenario) -> str:
    lay = layout(scenario)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lay.width:.0f}" height="{lay.height:.0f}" '
        f'viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
        "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif\">",
        "<defs>",
    ]
    for kind, color in ARROW_COLOR.items():
        out.append(
            f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<rect width="{lay.width:.0f}" height="{lay.height:.0f}" fill="#fbfaf7"/>')
    out.append(f'<text x="16" y="32" font-size="20" font-weight="bold">{escape(lay.title)}</text>')
    end_x = next((b.x for b in lay.boxes.values() if b.kind == "ending"), lay.width) - COL_GAP / 2
    for i, (label, y) in enumerate(lay.lanes[:-1]):
        shade = "#f1ede4" if i % 2 == 0 else "#f7f4ee"
        out.append(f'<rect x="0" y="{y:.0f}" width="{end_x:.0f}" height="{LANE_H}" fill="{shade}"/>')
        for j, part in enumerate(label.split("\n")):
            size = 16 if j == 0 else 12
            out.append(
                f'<text x="14" y="{y + 34 + j * 20:.0f}" font-size="{size}" '
                f'font-weight="{"bold" if j == 0 else "normal"}">{escape(part)}</text>'
            )
    out.append(
        f'<rect x="{end_x:.0f}" y="{TOP:.0f}" width="{lay.width - end_x:.0f}" '
        f'height="{lay.height - TOP:.0f}" fill="#eef5ec"/>'
    )
    out.append(f'<text x="{end_x + 12:.0f}" y="{TOP + 14:.0f}" font-size="12" fill="#2e7d32">结局</text>')
    for a in lay.arrows:
        src, dst = lay.boxes[a.src], lay.boxes[a.dst]
        x1, y1, x2, y2 = anchor_points(src, dst)
        dash = ' stroke-dasharray="6 4"' if a.kind in ("opens", "cancels") else ""
        mid = (x1 + x2) / 2
        out.append(
            f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" fill="none" '
            f'stroke="{ARROW_COLOR[a.kind]}" stroke-width="1.5"{dash} marker-end="url(#arrow-{a.kind})"/>'
        )
    for box in lay.boxes.values():
        stroke = "#b3261e" if box.traps else "#555"
        width = 2.5 if box.traps else 1.2
        dash = ' stroke-dasharray="6 4"' if box.kind == "remedial" else ""
        rx = 18 if box.kind in ("ending", "event") else 8
        out.append(
            f'<g><title>{escape(box.id)}</title><rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" '
            f'height="{box.h:.0f}" rx="{rx}" fill="{FILL[box.kind]}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
        )
        for j, line in enumerate(box.lines):
            out.append(
                f'<text x="{box.x + box.w / 2:.0f}" y="{box.y + 26 + j * 20:.0f}" font-size="{FONT}" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
        if box.traps:
            out.append(
                f'<text x="{box.x + box.w / 2:.0f}" y="{box.y + box.h - 8:.0f}" font-size="11" '
                f'text-anchor="middle" fill="#b3261e">⚠ 陷阱 ×{len(box.traps)}</text>'
            )
        out.append("</g>")
    legend_y = lay.height - 8
    out.append(
        f'<text x="14" y="{legend_y:.0f}" font-size="11" fill="#555">箭头：需要先完成 · 红色虚线：陷阱/事件打开补救任务 · '
        "红框：含陷阱 · 虚线框：补救任务</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"
