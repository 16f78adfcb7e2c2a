"""What the scenario map is made of, for every renderer: boxes and arrows to place (a plan),
and the shapes a placed map paints (rectangles, labels, lines) with their styles.

The layout that turns one into the other lives in :mod:`engine.tools.mapdraw`; the SVG writer
(:mod:`engine.tools.graph`) and the PNG painter (``engine/ui/graph_png.py``) only paint shapes,
so both show the same dashes, colours and arrowheads.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Box:
    """A task, team event or ending: its column and lane (None: the endings column), and once
    drawn its position and size."""

    id: str
    kind: str  # task | remedial | event | ending
    lines: list[str]
    col: int
    lane: int | None
    traps: list[str] = field(default_factory=list)  # trap titles
    title: str = ""  # the whole title, shown on hover when the box has to shorten it
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


@dataclass(frozen=True)
class Arrow:
    src: str
    dst: str
    kind: str  # needs | opens | event | ending | cancels


@dataclass
class MapPlan:
    title: str
    lanes: list[str]  # "name\ntitle" per lane, top to bottom
    boxes: dict[str, Box]  # key: task id, "@" + event id, "!" + ending id
    arrows: list[Arrow]


BOX_W, BOX_H = 168, 72
LINE_CHARS = 10  # Chinese characters per line inside a box
LABEL_CHARS = 10.5  # ... and in a lane label's title

FILL = {"task": "#ffffff", "remedial": "#fff8f0", "event": "#fff3c4", "ending": "#e3f1e0", "ghost": "#f4f4f4"}
ARROW_COLOR = {
    "needs": "#444444",
    "event": "#8a6d00",
    "ending": "#2e7d32",
    "opens": "#b3261e",
    "cancels": "#777777",
}
DASHED_ARROWS = ("opens", "cancels")
TRAP_COLOR = "#b3261e"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = ""
    width: float = 0.0
    dash: bool = False
    radius: float = 0.0
    tip: str = ""  # hover text (SVG <title>)


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # baseline
    text: str
    size: int
    color: str = "#222222"
    bold: bool = False
    middle: bool = False


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float = 1.5
    dash: bool = False
    arrow: bool = True


Prim = Rect | Label | Line


@dataclass
class Drawing:
    title: str
    width: float
    height: float
    prims: list[Prim] = field(default_factory=list)
    boxes: dict[str, Box] = field(default_factory=dict)  # placed, by key


def _tip(box: Box) -> str:
    """Hover text: the full title, and the traps a task holds."""
    text = box.title or "".join(box.lines)
    return text + ("\n陷阱：" + "、".join(box.traps) if box.traps else "")


def box_prims(box: Box) -> list[Prim]:
    stroke = TRAP_COLOR if box.traps else "#555555"
    width = 2.5 if box.traps else 1.2
    radius = 18 if box.kind in ("ending", "event") else 8
    prims: list[Prim] = [
        Rect(
            box.x,
            box.y,
            box.w,
            box.h,
            FILL[box.kind],
            stroke,
            width,
            box.kind == "remedial",
            radius,
            _tip(box),
        )
    ]
    top = box.y + (26 if box.traps or len(box.lines) > 1 else 42)
    for j, line in enumerate(box.lines):
        prims.append(Label(box.x + box.w / 2, top + j * 19, line, 14, middle=True))
    if box.traps:
        prims.append(
            Label(
                box.x + box.w / 2, box.y + box.h - 9, f"⚠ 陷阱 ×{len(box.traps)}", 11, TRAP_COLOR, middle=True
            )
        )
    return prims


def wrap(text: str, width: float = LINE_CHARS, lines: int = 2) -> list[str]:
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
