"""The scenario map: roles as swim lanes, tasks as boxes, dependencies as arrows, endings last.

    plan(scenario) -> MapPlan          what is on the map: boxes in columns and lanes, arrows
    layout(scenario) -> Drawing        the same, placed and routed (engine.tools.mapdraw)
    to_dot(scenario) / to_mermaid(scenario) / to_svg(scenario) -> str

PNG is drawn by :mod:`engine.ui.graph_png` (pygame lives in ``engine/ui``) from the same
drawing as the SVG. Columns follow the plan: a task sits right of every task it needs and of its
role's previous task; team events sit right of what triggers them (and of each other, so two
never share a place); endings come last.
"""

from __future__ import annotations

import itertools
from html import escape

from engine.format.conditions import iter_conditions
from engine.format.model import Condition, EventCondition, TaskDoneCondition, TrapCondition
from engine.format.scenario import Scenario
from engine.tools.mapdraw import draw
from engine.tools.mapshapes import Arrow, Box, Drawing, Label, Line, MapPlan, Rect, wrap


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


def _relax(items: list[str], needs: dict[str, set[str]]) -> dict[str, int]:
    """Longest-path columns; stops early, and on loops after len(items) rounds."""
    column = dict.fromkeys(items, 0)
    for _ in range(len(items)):
        changed = False
        for item in items:
            value = 1 + max((column[d] for d in needs.get(item, ()) if d in column), default=-1)
            if value > column[item]:
                column[item] = value
                changed = True
        if not changed:
            break
    return column


def plan(scenario: Scenario) -> MapPlan:
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
    column = _relax(items, needs)
    # team events share one lane: keep them in distinct columns, in the order they fall
    in_order = sorted(("@" + e for e in s.events), key=lambda k: (column[k], items.index(k)))
    for before, after in itertools.pairwise(in_order):
        needs.setdefault(after, set()).add(before)
    column = _relax(items, needs)
    lanes: list[str] = []
    boxes: dict[str, Box] = {}
    if s.events:
        lanes.append("团队事件")
        for event in s.data.events:
            key = "@" + event.id
            boxes[key] = Box(event.id, "event", wrap(event.title), column[key], 0, title=event.title)
    for role in s.data.roles:
        lane = len(lanes)
        lanes.append(role.name + (f"\n{role.title}" if role.title else ""))
        for task_id in s.role_tasks.get(role.id, []):
            task = s.tasks[task_id]
            titles = [c.trap.title for n in task.nodes for c in n.choices if c.trap is not None]
            kind = "remedial" if task.remedial else "task"
            boxes[task_id] = Box(
                task_id, kind, wrap(task.title), column[task_id], lane, traps=titles, title=task.title
            )
    end_col = max(column.values(), default=-1) + 1
    for ending in s.data.endings:
        tasks, events, _ = _refs(ending.when)
        boxes["!" + ending.id] = Box(
            ending.id, "ending", wrap(ending.title), end_col, None, title=ending.title
        )
        arrows += [Arrow(t, "!" + ending.id, "ending") for t in sorted(tasks)]
        arrows += [Arrow("@" + e, "!" + ending.id, "ending") for e in sorted(events)]
    arrows = [a for a in dict.fromkeys(arrows) if a.src in boxes and a.dst in boxes]
    return MapPlan(s.title, lanes, boxes, arrows)


def layout(scenario: Scenario) -> Drawing:
    """The map placed and routed: what the SVG and PNG paint."""
    return draw(plan(scenario))


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
    lay = plan(scenario)

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
    lay = plan(scenario)

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


def to_svg(scenario: Scenario) -> str:
    drawing = layout(scenario)
    w, h = drawing.width, drawing.height
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" viewBox="0 0 {w:.0f} {h:.0f}" '
        "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC',sans-serif\">",
        "<defs>",
    ]
    colors = sorted({p.color for p in drawing.prims if isinstance(p, Line)})
    for i, color in enumerate(colors):
        out.append(
            f'<marker id="head{i}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )
    out.append("</defs>")
    for p in drawing.prims:
        if isinstance(p, Rect):
            stroke = f' stroke="{p.stroke}" stroke-width="{p.width}"' if p.stroke else ""
            dash = ' stroke-dasharray="6 4"' if p.dash else ""
            rect = (
                f'<rect x="{p.x:.0f}" y="{p.y:.0f}" width="{p.w:.0f}" height="{p.h:.0f}" rx="{p.radius:.0f}" '
                f'fill="{p.fill}"{stroke}{dash}/>'
            )
            out.append(f"<g><title>{escape(p.tip)}</title>{rect}</g>" if p.tip else rect)
        elif isinstance(p, Label):
            weight = ' font-weight="bold"' if p.bold else ""
            anchor = ' text-anchor="middle"' if p.middle else ""
            out.append(
                f'<text x="{p.x:.0f}" y="{p.y:.0f}" font-size="{p.size}" fill="{p.color}"{weight}{anchor}>'
                f"{escape(p.text)}</text>"
            )
        else:
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in p.points)
            dash = ' stroke-dasharray="6 4"' if p.dash else ""
            head = f' marker-end="url(#head{colors.index(p.color)})"' if p.arrow else ""
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{p.color}" stroke-width="{p.width}" '
                f'stroke-linejoin="round"{dash}{head}/>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"
