"""Pieces every HTML report page shares: the style sheet, escaping, tables, cards, times."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path

from engine.present.labels import format_duration

CSS = """
:root { --ink:#222; --muted:#666; --line:#ddd; --accent:#1f4e9c; --red:#b03a2e; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
       "WenQuanYi Micro Hei",sans-serif; color: var(--ink); margin: 0 auto; max-width: 1000px;
       padding: 24px 20px 60px; line-height: 1.55; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 10px;
     border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 8px; }
.meta { color: var(--muted); font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.card b { display: block; font-size: 22px; } .card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
table.narrow { width: auto; min-width: 240px; } th { background: #f3f5f9; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart { display: block; max-width: 100%; height: auto; margin: 6px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.trap { border-left: 4px solid var(--red); padding: 4px 10px; margin: 8px 0; background: #fdf5f4; }
.trap .src { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; background: #fff3cd; border: 1px solid #e3c46a; border-radius: 10px;
         padding: 0 8px; margin-right: 4px; font-size: 12px; }
.wall { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; }
.wall > div { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; }
.wall .rank { color: var(--accent); font-weight: bold; } .wall .pts { font-size: 20px; font-weight: bold; }
.note { color: var(--muted); font-size: 13px; }
.debrief { border-top: 3px double var(--line); margin-top: 36px; }
ol.path li { margin: 2px 0; }
@media print {
  body { max-width: none; padding: 0; }
  @page { size: A4; margin: 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .debrief { break-before: page; } section, .chart, table, .trap { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


def esc(value: object) -> str:
    return escape(str(value))


def table(header: list[str], rows: list[list[object]], numeric: set[int] | None = None, cls: str = "") -> str:
    numeric = numeric or set()
    head = "".join(f"<th{' class=n' if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(header))
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i in numeric else ''}>{esc(c)}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def cards(items: list[tuple[str, str]]) -> str:
    return (
        '<div class="cards">'
        + "".join(f'<div class="card"><b>{esc(v)}</b><span>{esc(k)}</span></div>' for k, v in items)
        + "</div>"
    )


def when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def dur(seconds: float | None) -> str:
    return "—" if seconds is None else format_duration(seconds)


def head(title: str, scope: str, sessions: int, generated_at: float) -> list[str]:
    """A report page's opening: the document head with the style sheet, its title and its scope."""
    return [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>情景 · {esc(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>情景 · {esc(title)}</h1>",
        f'<p class="meta">范围：{esc(scope)} · 共 {sessions} 场 · 生成于 {when(generated_at)}</p>',
    ]


def write_page(parts: list[str], out: Path) -> list[Path]:
    """Close the page and write it (UTF-8)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join([*parts, "</body></html>"]), encoding="utf-8")
    return [out]
