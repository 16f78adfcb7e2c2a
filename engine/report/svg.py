"""Hand-drawn inline SVG charts for the HTML report: Gantt timeline, horizontal bars, line,
before/after pairs.

Plain strings, no dependencies; every label is escaped; text widths are estimated (a CJK
character counts double) so Chinese labels are not clipped.
"""

from __future__ import annotations

from html import escape

from engine.present.labels import format_duration
from engine.review.records import SessionMetrics

COLORS = {
    "working": "#3f8f5f",
    "locked": "#c0392b",
    "waiting": "#e3a21a",
    "critical": "#1f4e9c",
    "bar": "#3b6fb6",
    "trap": "#b03a2e",
    "grid": "#d9d9d9",
    "text": "#222",
    "muted": "#666",
    "before": "#9aa5b1",
    "after": "#1f7a4d",
}
KIND_NAMES = {"working": "行动", "locked": "锁定", "waiting": "等待"}
FONT = "13px"


def text_width(text: str, px: float = 13.0) -> float:
    return sum(px if ord(ch) > 0x2E80 else px * 0.58 for ch in text)


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(label)}"'
        f' width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}"'
        f' font-size="{FONT}" fill="{COLORS["text"]}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "", fill: str = "") -> str:
    extra = f' class="{cls}"' if cls else ""
    extra += f' fill="{fill}"' if fill else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _ticks(span: float, target: int = 8) -> list[float]:
    """Round tick positions (seconds) for a time axis of length ``span``."""
    steps = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]
    step = next((s for s in steps if span / s <= target), steps[-1])
    return [i * step for i in range(int(span // step) + 1)]


def gantt(m: SessionMetrics, width: int = 960) -> str:
    """Each role's timeline (working / locked / waiting, in game time), trap marks, and the critical path."""
    roles = list(m.roles.values())
    labels = [f"{r.name}（{r.player}）" if r.player else r.name for r in roles]
    left = max([text_width(s) for s in [*labels, "关键路径"]] + [60.0]) + 16
    right, top, row_h, bar_h = 16.0, 26.0, 34.0, 20.0
    n_rows = len(roles) + (1 if m.critical_path else 0)
    height = top + n_rows * row_h + 46
    span = max(m.duration, 1.0)
    plot_w = width - left - right

    def x(t: float) -> float:
        return left + max(0.0, min(t, span)) / span * plot_w

    body: list[str] = []
    axis_y = top + n_rows * row_h
    for t in _ticks(span):
        body.append(
            f'<line x1="{x(t):.1f}" y1="{top - 6}" x2="{x(t):.1f}" y2="{axis_y}" stroke="{COLORS["grid"]}"/>'
        )
        body.append(_text(x(t), axis_y + 15, format_duration(t), "middle", fill=COLORS["muted"]))
    for i, (rm, label) in enumerate(zip(roles, labels, strict=True)):
        y = top + i * row_h
        body.append(_text(left - 8, y + bar_h / 2 + 5, label, "end"))
        body.append(f'<rect x="{left}" y="{y}" width="{plot_w:.1f}" height="{bar_h}" fill="#f4f4f4"/>')
        for seg in rm.segments:
            w = max(x(seg.end) - x(seg.start), 0.5)
            tip = f"{KIND_NAMES[seg.kind]} {format_duration(seg.start)}–{format_duration(seg.end)}"
            if seg.task:
                tip += f"《{_task_title(m, seg.task)}》"
            body.append(
                f'<rect class="seg {seg.kind}" x="{x(seg.start):.1f}" y="{y}" width="{w:.1f}" height="{bar_h}"'
                f' fill="{COLORS[seg.kind]}"><title>{escape(tip)}</title></rect>'
            )
        for trap in m.traps:
            if trap.role == rm.role:
                tx = x(trap.at)
                body.append(
                    f'<path class="trap-mark" d="M{tx - 6:.1f},{y - 7} L{tx + 6:.1f},{y - 7} L{tx:.1f},{y + 3} Z"'
                    f' fill="{COLORS["trap"]}" stroke="#fff" stroke-width="1">'
                    f"<title>{escape('陷阱：' + trap.title + ' @ ' + format_duration(trap.at))}</title></path>"
                )
    if m.critical_path:
        y = top + len(roles) * row_h
        body.append(_text(left - 8, y + bar_h / 2 + 5, "关键路径", "end", fill=COLORS["critical"]))
        for step in m.critical_path:
            x0, x1 = x(step.start), x(step.end)
            body.append(
                f'<rect class="critical" x="{x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 0.5):.1f}" height="{bar_h - 6}"'
                f' fill="{COLORS["critical"]}" stroke="#fff" stroke-width="1.5">'
                f"<title>{escape(step.title + ' ' + format_duration(step.duration))}</title></rect>"
            )
            if text_width(step.title, 11) < x1 - x0 - 4:
                body.append(
                    f'<text x="{(x0 + x1) / 2:.1f}" y="{y + bar_h / 2 + 4:.1f}" text-anchor="middle" font-size="11"'
                    f' fill="#fff">{escape(step.title)}</text>'
                )
    lx = left
    ly = height - 10
    for kind in ("working", "locked", "waiting"):  # game time: a pause is not on the axis
        body.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLORS[kind]}"/>')
        body.append(_text(lx + 16, ly, KIND_NAMES[kind]))
        lx += 16 + text_width(KIND_NAMES[kind]) + 18
    body.append(f'<path d="M{lx},{ly - 10} L{lx + 12},{ly - 10} L{lx + 6},{ly} Z" fill="{COLORS["trap"]}"/>')
    body.append(_text(lx + 16, ly, "落入陷阱"))
    lx += 16 + text_width("落入陷阱") + 18
    if m.critical_path:
        body.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{COLORS["critical"]}"/>')
        body.append(_text(lx + 16, ly, "关键路径"))
    return _svg(width, height, body, f"{m.team} 各角色时间线")


def _task_title(m: SessionMetrics, task: str) -> str:
    for rec in m.tasks:
        if rec.task == task:
            return rec.title
    return task


def hbars(
    items: list[tuple[str, float, str]],
    label: str,
    width: int = 960,
    color: str = "",
    vmax: float | None = None,
) -> str:
    """Horizontal bars: (label, value, text shown after the bar)."""
    if not items:
        return ""
    left = min(max(text_width(lbl) for lbl, _, _ in items) + 16, width * 0.45)
    right = max(text_width(txt) for _, _, txt in items) + 16
    row_h, bar_h, top = 26.0, 16.0, 6.0
    height = top + len(items) * row_h + 4
    top_value = vmax if vmax is not None else max((v for _, v, _ in items), default=0.0)
    top_value = top_value or 1.0
    plot_w = width - left - right
    body = []
    for i, (lbl, value, txt) in enumerate(items):
        y = top + i * row_h
        w = max(0.0, value) / top_value * plot_w
        body.append(_text(left - 8, y + bar_h - 3, lbl, "end"))
        body.append(f'<rect x="{left}" y="{y}" width="{plot_w:.1f}" height="{bar_h}" fill="#f1f1f1"/>')
        body.append(
            f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color or COLORS["bar"]}">'
            f"<title>{escape(lbl + '：' + txt)}</title></rect>"
        )
        body.append(_text(left + w + 6, y + bar_h - 3, txt, fill=COLORS["muted"]))
    return _svg(width, height, body, label)


def line_chart(
    points: list[tuple[str, float]], label: str, fmt: str = "{:.1f}", width: int = 460, height: int = 200
) -> str:
    """A small line chart over dates (x labels thinned to fit)."""
    if not points:
        return ""
    left, right, top, bottom = 44.0, 14.0, 22.0, 34.0
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points]
    lo, hi = min(0.0, min(values)), max(values)
    hi = hi if hi > lo else lo + 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w / 2 if len(points) == 1 else i / (len(points) - 1) * plot_w)
        return x, top + (1 - (v - lo) / (hi - lo)) * plot_h

    body = [_text(left, 14, label, fill=COLORS["muted"])]
    for frac in (0.0, 0.5, 1.0):
        v = lo + frac * (hi - lo)
        y = top + (1 - frac) * plot_h
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{COLORS["grid"]}"/>'
        )
        body.append(_text(left - 4, y + 4, fmt.format(v), "end", fill=COLORS["muted"]))
    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    body.append(
        '<polyline class="line" fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            COLORS["bar"], " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        )
    )
    every = max(1, len(points) // 6)
    for i, ((day, v), (x, y)) in enumerate(zip(points, coords, strict=True)):
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLORS["bar"]}"><title>{escape(day)}：{fmt.format(v)}</title></circle>'
        )
        if i % every == 0 or i == len(points) - 1:
            body.append(_text(x, height - bottom + 16, day[5:], "middle", fill=COLORS["muted"]))
    return _svg(width, height, body, label)


def fit(text: str, width: float, px: float = 13.0) -> str:
    """``text`` cut with an ellipsis to ``width`` pixels (estimated)."""
    if text_width(text, px) <= width:
        return text
    while text and text_width(text + "…", px) > width:
        text = text[:-1]
    return text + "…"


def before_after(items: list[tuple[str, float | None, float | None]], label: str, width: int = 960) -> str:
    """Paired bars per item: the share right before play (grey) and after it (accent), 0–100%.

    A phase nobody answered shows no bar and "—", never a zero."""
    if not items:
        return ""
    left = min(max(text_width(lbl) for lbl, _, _ in items) + 16, width * 0.42)
    right = 56.0
    pair_h, bar_h, top = 40.0, 14.0, 8.0
    height = top + len(items) * pair_h + 34
    plot_w = width - left - right
    body = []
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        gx = left + tick * plot_w
        body.append(
            f'<line x1="{gx:.1f}" y1="{top - 4}" x2="{gx:.1f}" y2="{top + len(items) * pair_h}"'
            f' stroke="{COLORS["grid"]}"/>'
        )
        body.append(_text(gx, top + len(items) * pair_h + 14, f"{tick:.0%}", "middle", fill=COLORS["muted"]))
    for i, (lbl, pre, post) in enumerate(items):
        y = top + i * pair_h
        body.append(f"<g><title>{escape(lbl)}</title>")
        body.append(_text(left - 8, y + bar_h + 4, fit(lbl, left - 16), "end"))
        body.append("</g>")
        for k, (phase, value, color) in enumerate(
            (("pre", pre, COLORS["before"]), ("post", post, COLORS["after"]))
        ):
            by = y + k * (bar_h + 2)
            text = "—" if value is None else f"{value:.0%}"
            w = 0.0 if value is None else max(0.0, min(1.0, value)) * plot_w
            name = "课前" if phase == "pre" else "课后"
            body.append(
                f'<rect class="bar {phase}" x="{left}" y="{by}" width="{max(w, 0.5 if value else 0):.1f}"'
                f' height="{bar_h}" fill="{color}"><title>{escape(f"{name}：{text}")}</title></rect>'
            )
            body.append(_text(left + w + 6, by + bar_h - 2, text, fill=COLORS["muted"]))
    ly = height - 6
    lx = left
    for name, color in (("课前", COLORS["before"]), ("课后", COLORS["after"])):
        body.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        body.append(_text(lx + 16, ly, f"{name}答对率"))
        lx += 16 + text_width(f"{name}答对率") + 18
    return _svg(width, height, body, label)
