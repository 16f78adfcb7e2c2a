"""Draw the scenario map: place boxes in bands, route arrows around them, emit shapes.

    draw(plan) -> Drawing        shapes, labels and lines in paint order, plus each box

Every renderer (SVG here, PNG in engine/ui/graph_png.py) paints the same :class:`Drawing`, so
the two look alike by construction: colours, dashes and arrowheads are decided once, here.

Readable on a laptop:

- a wide scenario wraps into *bands* of at most :data:`MAX_COLUMNS` columns, stacked top to
  bottom, each with every lane; an arrow between bands ends at a small dashed *connector* that
  names the box on the other side and its band ("宣布开会（第1段）", "→ 第2段");
- arrows run only through the gaps: out of a box's right edge, along the gutter between
  columns, along the channel between lanes, into the next box's left edge. Boxes never sit in a
  gutter or channel, so no arrow crosses a box; each arrow gets its own track in every gutter
  and channel it uses (gutters and channels widen to fit), so arrows never run on top of each
  other;
- the lane labels have a column of their own, so a role's title is never hidden by a box.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from engine.tools.mapshapes import (
    ARROW_COLOR,
    BOX_H,
    BOX_W,
    DASHED_ARROWS,
    FILL,
    LABEL_CHARS,
    Arrow,
    Box,
    Drawing,
    Label,
    Line,
    MapPlan,
    Prim,
    Rect,
    box_prims,
    wrap,
)

LABEL_W = 150
GHOST_W, GHOST_H = 124, 22
WIDE = 100_000  # lane shading: runs to the picture's right edge, whichever band is widest
MAX_COLUMNS = 5
TRACK = 7  # pixels between parallel arrows
GUTTER_MIN, CHANNEL_MIN, ROW_PAD = 44, 30, 8
EMPTY_ROW = 30  # a lane with nothing in this band stays, thin, so every band lists every lane
TITLE_H, BAND_HEAD, LEGEND_H = 48, 26, 30


@dataclass
class _Ref:
    """Where an arrow starts or ends inside a band: a box, or a connector to another band."""

    key: str
    col: int  # -1: incoming connectors' column; MAX: outgoing connectors' column
    lane: int | None
    y: float = 0.0  # centre, once placed


@dataclass
class _Route:
    arrow: Arrow
    src: _Ref
    dst: _Ref
    gutter_a: int = 0  # gutter right of the source
    gutter_b: int = 0  # gutter left of the target
    channel: int | None = None
    tracks: dict[tuple[str, int], int] = field(default_factory=dict)


class _Bands:
    """Which band each column falls in: task/event columns split evenly into bands of at most
    MAX_COLUMNS; the endings column joins the last band (it never makes a band of its own)."""

    def __init__(self, plan: MapPlan) -> None:
        columns = 1 + max((b.col for b in plan.boxes.values() if b.kind != "ending"), default=0)
        self.count = -(-columns // MAX_COLUMNS)
        self.per = -(-columns // self.count)

    def __call__(self, col: int) -> int:
        return min(col // self.per, self.count - 1)

    def first(self, band: int) -> int:
        return band * self.per


def draw(plan: MapPlan) -> Drawing:
    """Lay the plan out in bands and route every arrow (see the module docstring)."""
    band_of = _Bands(plan)
    bands = band_of.count
    out = Drawing(plan.title, 0, 0)
    y: float = TITLE_H
    width = 0.0
    for band in range(bands):
        y, band_width = _draw_band(plan, band, band_of, y, out)
        width = max(width, band_width)
    legend_y = y + 6
    out.prims.append(
        Label(
            14,
            legend_y + 16,
            "箭头：需要先完成 · 绿色：结局的条件 · 红色虚线：陷阱/事件打开补救任务 · 灰色虚线：事件中断任务 · "
            "红框：含陷阱 · 虚线框：补救任务 · 灰色小框：接另一段",
            11,
            "#555555",
        )
    )
    out.width = max(width, 900)
    # lane shading was drawn WIDE: now that the widest band is known, it ends at the edge
    out.prims = [replace(p, w=out.width) if isinstance(p, Rect) and p.w == WIDE else p for p in out.prims]
    out.height = legend_y + LEGEND_H
    out.prims.insert(0, Rect(0, 0, out.width, out.height, "#fbfaf7"))
    out.prims.insert(1, Label(16, 32, plan.title, 20, bold=True))
    return out


def _draw_band(plan: MapPlan, band: int, band_of: _Bands, top: float, out: Drawing) -> tuple[float, float]:
    bands = band_of.count
    first = band_of.first(band)
    members = {k: b for k, b in plan.boxes.items() if band_of(b.col) == band}
    cols = max(b.col for b in members.values()) - first + 1
    # arrows touching this band, each end a box here or a connector
    refs_in: dict[str, _Ref] = {}
    refs_out: dict[str, _Ref] = {}
    out_bands: dict[str, set[int]] = {}
    routes: list[_Route] = []
    to_connector: dict[str, _Ref] = {}  # one arrow from a box to its outgoing connector
    for arrow in plan.arrows:
        a, b = plan.boxes[arrow.src], plan.boxes[arrow.dst]
        here_a, here_b = band_of(a.col) == band, band_of(b.col) == band
        if here_a and here_b:
            routes.append(
                _Route(arrow, _Ref(arrow.src, a.col - first, a.lane), _Ref(arrow.dst, b.col - first, b.lane))
            )
        elif here_b:
            ghost = refs_in.setdefault(arrow.src, _Ref("<" + arrow.src, -1, a.lane))
            routes.append(_Route(arrow, ghost, _Ref(arrow.dst, b.col - first, b.lane)))
        elif here_a:
            ghost = refs_out.setdefault(arrow.src, _Ref(">" + arrow.src, cols, a.lane))
            out_bands.setdefault(arrow.src, set()).add(band_of(b.col) + 1)
            if arrow.src not in to_connector:
                to_connector[arrow.src] = ghost
                src = _Ref(arrow.src, a.col - first, a.lane)
                routes.append(_Route(Arrow(arrow.src, ghost.key, arrow.kind), src, ghost))
    # vertical placement: rows (lanes) and channels between them
    lanes = plan.lanes
    per_lane_ghosts = [
        max(
            sum(1 for g in refs_in.values() if g.lane == i),
            sum(1 for g in refs_out.values() if g.lane == i),
        )
        for i in range(len(lanes))
    ]
    occupied = {b.lane for b in members.values()}
    row_h = [
        max(BOX_H if i in occupied else EMPTY_ROW, n * (GHOST_H + 4)) + 2 * ROW_PAD
        for i, n in enumerate(per_lane_ghosts)
    ]
    for r in routes:  # gutter i is the gap left of column i (cols: right of the last)
        r.gutter_a, r.gutter_b = r.src.col + 1, r.dst.col
    # channels: chosen from the lanes, before the tracks are known
    endings = [k for k in members if plan.boxes[k].kind == "ending"]
    for r in routes:
        if r.gutter_a == r.gutter_b:
            continue
        if r.dst.lane is not None:
            la = r.src.lane if r.src.lane is not None else 0
            r.channel = r.dst.lane if la <= r.dst.lane else r.dst.lane + 1
        else:  # an ending: the channel below the source's lane
            r.channel = (r.src.lane if r.src.lane is not None else 0) + 1
    channel_n = _assign(routes, "channel")
    channel_h = [max(CHANNEL_MIN, 12 + channel_n.get(i, 0) * TRACK) for i in range(len(lanes) + 1)]
    y = top + (BAND_HEAD if bands > 1 else 0)
    band_top = y
    channel_y: list[float] = []
    lane_top: list[float] = []
    for i in range(len(lanes)):
        channel_y.append(y + channel_h[i] / 2)
        y += channel_h[i]
        lane_top.append(y)
        y += row_h[i]
    channel_y.append(y + channel_h[len(lanes)] / 2)
    y += channel_h[len(lanes)]
    # endings stack in their own column, top to bottom
    ending_y = band_top + channel_h[0]
    for key in endings:
        members[key].y = ending_y
        ending_y += BOX_H + 16
    y = max(y, ending_y + 8)
    band_bottom = y
    # horizontal placement: labels, incoming connectors, columns with gutters, outgoing connectors
    gutter_n = _assign(routes, "gutter")
    gutter_w = [max(GUTTER_MIN, 16 + gutter_n.get(i, 0) * TRACK) for i in range(cols + 1)]
    x = LABEL_W + (GHOST_W + 8 if refs_in else 0)
    gutter_x: list[float] = []
    col_x: list[float] = []
    for c in range(cols):
        gutter_x.append(x + gutter_w[c] / 2)
        x += gutter_w[c]
        col_x.append(x)
        x += BOX_W
    gutter_x.append(x + gutter_w[cols] / 2)
    x += gutter_w[cols]
    out_x = x
    width = x + (GHOST_W + 16 if refs_out else 16)
    # shade the lanes and the endings column
    for i, label in enumerate(lanes):
        shade = "#f1ede4" if i % 2 == 0 else "#f7f4ee"
        y0 = channel_y[i]
        out.prims.append(Rect(0, y0, WIDE, channel_y[i + 1] - y0, shade))
        shown = _label_lines(label) if i in occupied else _label_lines(label)[:1]  # a thin row: the name
        for j, part in enumerate(shown):
            out.prims.append(Label(14, lane_top[i] + 24 + j * 18, part, 16 if j == 0 else 12, bold=j == 0))
    if endings:
        ex = col_x[members[endings[0]].col - first]
        out.prims.append(Rect(ex - 12, band_top, BOX_W + 24, band_bottom - band_top, "#eef5ec"))
        out.prims.append(Label(ex, band_top + 12, "结局", 12, "#2e7d32"))
    if bands > 1:
        out.prims.append(Label(14, top + 18, f"第 {band + 1} 段 / 共 {bands} 段", 13, "#555555", bold=True))
    # place boxes and connectors
    for key, box in members.items():
        box.x = col_x[box.col - first]
        if box.kind != "ending":
            box.y = lane_top[box.lane or 0] + ROW_PAD + (row_h[box.lane or 0] - 2 * ROW_PAD - BOX_H) / 2
        box.w, box.h = BOX_W, BOX_H
        out.boxes[key] = box
    ghosts: list[tuple[_Ref, float, str]] = []
    sides: tuple[tuple[str, dict[str, _Ref], float], ...] = (
        ("in", refs_in, LABEL_W),
        ("out", refs_out, out_x),
    )
    for side, refs, gx in sides:
        stacked: dict[int | None, int] = {}
        for other, ref in refs.items():
            n = stacked.get(ref.lane, 0)
            stacked[ref.lane] = n + 1
            ref.y = lane_top[ref.lane or 0] + ROW_PAD + n * (GHOST_H + 4) + GHOST_H / 2
            if side == "in":
                text = f"{_short(plan.boxes[other])}（第{band_of(plan.boxes[other].col) + 1}段）"
            else:
                text = "→ 第" + "、".join(str(b) for b in sorted(out_bands[other])) + "段"
            ghosts.append((ref, gx, text))
    for ref, gx, text in ghosts:
        out.prims.append(
            Rect(gx, ref.y - GHOST_H / 2, GHOST_W, GHOST_H, FILL["ghost"], "#999999", 1, True, 6)
        )
        out.prims.append(Label(gx + GHOST_W / 2, ref.y + 4, text, 11, "#555555", middle=True))
    for r in routes:
        for ref in (r.src, r.dst):
            if not ref.key.startswith(("<", ">")):
                box = members[ref.key]
                ref.y = box.y + box.h / 2
    # arrows under boxes
    x_of = {**{i: col_x[i] for i in range(cols)}, -1: LABEL_W, cols: out_x}
    out.prims += _lines(routes, x_of, gutter_x, channel_y, gutter_n, channel_n)
    for box in members.values():
        out.prims += box_prims(box)
    return band_bottom, width


def _assign(routes: list[_Route], what: str) -> dict[int, int]:
    """Give every route its own track in each gutter (or channel) it runs along; returns how
    many tracks each gutter (channel) needs."""
    used: dict[int, list[_Route]] = {}
    for r in routes:
        if what == "gutter":
            for g in {r.gutter_a, r.gutter_b}:
                used.setdefault(g, []).append(r)
        elif r.channel is not None:
            used.setdefault(r.channel, []).append(r)
    for index, members in used.items():
        # sources higher up take the outer tracks, so neighbours cross less
        members.sort(key=lambda r: (r.src.lane or 0, r.dst.lane or 0, r.arrow.src, r.arrow.dst))
        for track, r in enumerate(members):
            r.tracks[(what, index)] = track
    return {index: len(members) for index, members in used.items()}


def _lines(
    routes: list[_Route],
    x_of: dict[int, float],
    gutter_x: list[float],
    channel_y: list[float],
    gutter_n: dict[int, int],
    channel_n: dict[int, int],
) -> list[Prim]:
    prims: list[Prim] = []
    # spread the ends along each box edge so arrows stay apart up to the arrowhead
    ends: dict[tuple[str, str], list[_Route]] = {}
    for r in routes:
        ends.setdefault((r.src.key, "out"), []).append(r)
        ends.setdefault((r.dst.key, "in"), []).append(r)
    offset: dict[tuple[int, str], float] = {}
    for (_, side), group in ends.items():
        group.sort(key=lambda r: r.dst.y if side == "out" else r.src.y)
        limit = (
            GHOST_H if group[0].src.key.startswith("<") or group[0].dst.key.startswith(">") else BOX_H
        ) / 2 - 6
        # ends into a box sit half a step off the ends out of one, so an arrow leaving a box
        # never runs along one arriving at its neighbour in the same lane
        shift = 4 if side == "in" else 0
        spots = [(i - (len(group) - 1) // 2) * 8.0 + shift for i in range(len(group))]
        if spots[0] < -limit or spots[-1] > limit:
            # a small connector has no room for 8 px steps: squeeze them rather than clamp, since
            # clamped ends share a y and their first legs would run on top of each other
            step = 2 * limit / (len(group) - 1)
            spots = [i * step - limit for i in range(len(group))]
        for r, spot in zip(group, spots, strict=True):
            offset[(id(r), side)] = spot
    for r in routes:
        x1 = x_of[r.src.col] + (GHOST_W if r.src.col == -1 else BOX_W)
        y1 = r.src.y + offset[(id(r), "out")]
        x2 = x_of[r.dst.col]
        y2 = r.dst.y + offset[(id(r), "in")]
        ga = _track(gutter_x[r.gutter_a], r.tracks[("gutter", r.gutter_a)], gutter_n[r.gutter_a])
        if r.gutter_a == r.gutter_b:
            points = [(x1, y1), (ga, y1), (ga, y2), (x2, y2)]
        else:
            gb = _track(gutter_x[r.gutter_b], r.tracks[("gutter", r.gutter_b)], gutter_n[r.gutter_b])
            c = r.channel or 0
            ch = _track(channel_y[c], r.tracks[("channel", c)], channel_n[c])
            points = [(x1, y1), (ga, y1), (ga, ch), (gb, ch), (gb, y2), (x2, y2)]
        kind = r.arrow.kind
        prims.append(Line(tuple(_tidy(points)), ARROW_COLOR[kind], 1.6, kind in DASHED_ARROWS))
    return prims


def _track(center: float, track: int, tracks: int) -> float:
    """Position of one of ``tracks`` parallel tracks around the middle of a gap."""
    return center + (track - (tracks - 1) / 2) * TRACK


def _tidy(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and zero-length bends."""
    out: list[tuple[float, float]] = []
    for p in points:
        if not out or p != out[-1]:
            out.append(p)
    return out


def _label_lines(label: str) -> list[str]:
    """A lane label: the name, then its title wrapped to the label column."""
    name, _, title = label.partition("\n")
    if not title:
        return [name]
    parts = [p.strip() for p in title.split("·")]
    if len(wrap(title, LABEL_CHARS, 3)) > 1 and len(parts) == 2:  # "上海代表 · 会场主人": break at the dot
        return [name, parts[0] + " ·", *wrap(parts[1], LABEL_CHARS, 1)]
    return [name, *wrap(title, LABEL_CHARS, 2)]


def _short(box: Box) -> str:
    text = "".join(box.lines).rstrip("…")
    return text if len(text) <= 5 else text[:5] + "…"
