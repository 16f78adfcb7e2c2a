"""Review reports: store -> replayed metrics (:mod:`engine.review.selection`) -> HTML / CSV / JSON / xAPI files.

load_review(store, Filters(...))      every format renders the same Review
write_report(review, fmt, out)        -> the files written
"""

from __future__ import annotations

from pathlib import Path

from engine.report.csv_out import write_csv
from engine.report.html import write_html
from engine.report.json_out import write_json
from engine.report.xapi import DEFAULT_BASE, write_xapi
from engine.review.selection import (
    Filters,
    Review,
    debrief,
    honor_wall,
    leaderboard,
    load_review,
    parse_date,
    session_list,
)

FORMATS = ("html", "csv", "json", "xapi")


def write_report(review: Review, fmt: str, out: Path, xapi_base: str = DEFAULT_BASE) -> list[Path]:
    """Write ``review`` as ``fmt`` to ``out`` (a file; for csv a directory or NAME.csv)."""
    if fmt == "html":
        return write_html(review, out)
    if fmt == "csv":
        return write_csv(review, out)
    if fmt == "json":
        return write_json(review, out)
    if fmt == "xapi":
        return write_xapi(review, out, xapi_base)
    raise ValueError(f"未知的报告格式 “{fmt}”；可选：{'、'.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "Filters",
    "Review",
    "debrief",
    "honor_wall",
    "leaderboard",
    "load_review",
    "parse_date",
    "session_list",
    "write_report",
]
