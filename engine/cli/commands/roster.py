"""``roster``: the organization's members: import them from a spreadsheet, list them.

``roster import FILE.csv`` reads a table with a header row: 姓名 (required), 支部 and 编号
(optional); a title or two above the header row is skipped. Excel's "CSV UTF-8" (with BOM),
plain UTF-8, the GBK that Chinese Excel writes by default and Excel's "Unicode text" (UTF-16,
tab-separated) all read. A file with any problem is
refused whole, each problem at ``FILE:LINE:COLUMN``; importing again updates members (found by
编号, or by 姓名 and 支部) instead of adding them twice.
"""

from __future__ import annotations

import argparse
import csv
import io
import unicodedata
from pathlib import Path

from engine.cli.commands._common import CommandError, add_db_option, db_label, open_store, run
from engine.store.members import MAX_NAME, NewMember, display_names, normal

NAME = "roster"
ORDER = 38
HELP = "成员名册：从表格导入、列出 / members: import from a spreadsheet, list"

COLUMNS = {
    "name": ("姓名", "名字", "name"),
    "branch": ("支部", "党支部", "所在支部", "branch"),
    "number": ("编号", "党员编号", "工号", "学号", "number", "id"),
}
MAX_FIELD = 40
MAX_BYTES = 2 * 1024 * 1024
MAX_PROBLEMS = 20
HEADER_WITHIN = 5  # rows a sheet's title may take above the header


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="roster_command", metavar="{import,list}")
    sub.required = True
    imp = sub.add_parser(
        "import",
        help="从 CSV 导入成员（表头：姓名，可选 支部、编号）",
        description="从 CSV 导入成员。第一行是表头：姓名（必填）、支部、编号（可选）。"
        "Excel 另存为“CSV UTF-8”或普通 CSV（GBK）均可。已有的成员（按编号，或姓名+支部）会被更新而不是重复添加。",
    )
    imp.add_argument("file", metavar="FILE.csv", help="成员表")
    add_db_option(imp)
    imp.set_defaults(func=import_main)
    lst = sub.add_parser("list", help="列出成员和各人参加的场次")
    add_db_option(lst)
    lst.set_defaults(func=list_main)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and, for a message, the encoding it was read in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError:
        raise CommandError(
            "无法识别这个文件的文字编码；请在 Excel 中“另存为” → “CSV UTF-8（逗号分隔）”后再导入"
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "，")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column(header: list[str], key: str) -> int | None:
    names = [normal(h).lower() for h in header]
    return next((names.index(a.lower()) for a in COLUMNS[key] if a.lower() in names), None)


def _field_problem(value: str) -> str:
    if any(unicodedata.category(ch)[0] == "C" for ch in value):
        return "含有不可见字符"
    if len(value) > MAX_FIELD:
        return f"太长（最多 {MAX_FIELD} 个字）"
    return ""


def _cell(record: list[str], index: int | None) -> tuple[str, int]:
    """A field's value (normalised; "" when the column is absent) and its 1-based column."""
    value = normal(record[index]) if index is not None and index < len(record) else ""
    return value, (index or 0) + 1


def parse_roster(text: str, path: str) -> list[NewMember]:
    """Rows of a roster table; CommandError listing every problem (``FILE:LINE:COLUMN``)."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise CommandError(f"{path}：文件是空的；第一行应是表头，如：姓名,支部,编号")
    delimiter = _delimiter(next(line for line in lines if line.strip()))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    problems: list[str] = []
    rows: list[NewMember] = []
    seen_number: dict[str, int] = {}
    seen_name: dict[tuple[str, str], int] = {}
    cols: dict[str, int | None] = {}
    above: list[tuple[int, list[str]]] = []  # rows before the header (a sheet's title, a date)
    for record in reader:
        line = reader.line_num
        if not any(c.strip() for c in record):
            continue
        if header is None:
            cols = {key: _column(record, key) for key in COLUMNS}
            if cols["name"] is not None:
                header, header_line = record, line
            elif len(above) < HEADER_WITHIN:
                above.append((line, record))
            else:
                break
            continue

        name, name_col = _cell(record, cols["name"])
        branch, branch_col = _cell(record, cols["branch"])
        number, number_col = _cell(record, cols["number"])
        where = f"{path}:{line}"
        if not name:
            problems.append(f"{where}:{name_col}: 错误：这一行没有姓名；请填写姓名，或删除这一行")
            continue
        for value, col, label in (
            (name, name_col, "姓名"),
            (branch, branch_col, "支部"),
            (number, number_col, "编号"),
        ):
            problem = _field_problem(value)
            if problem:
                problems.append(f"{where}:{col}: 错误：{label}“{value[:MAX_FIELD]}”{problem}")
        if len(name) > MAX_NAME:
            problems.append(f"{where}:{name_col}: 错误：姓名“{name}”超过 {MAX_NAME} 个字（玩家名的长度上限）")
        if number and number in seen_number:
            problems.append(f"{where}:{number_col}: 错误：编号“{number}”与第 {seen_number[number]} 行重复")
        elif not number and (name, branch) in seen_name:
            problems.append(
                f"{where}:{name_col}: 错误：与第 {seen_name[(name, branch)]} 行同名同支部；"
                "是两个人请填写编号以区分，是同一人请删除一行"
            )
        if number:
            seen_number.setdefault(number, line)
        seen_name.setdefault((name, branch), line)
        rows.append(NewMember(name, branch, number))
    if header is None:
        line, record = above[0]
        found = "、".join(normal(h) for h in record if normal(h)) or "（空）"
        raise CommandError(
            f"{path}:{line}:1: 错误：找不到“姓名”列（第一行是：{found}）；表头应写明各列，如：姓名,支部,编号"
        )
    if not rows and not problems:
        raise CommandError(f"{path}:{header_line or 1}:1: 错误：表头下面没有成员")
    if problems:
        more = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS] + ([f"……还有 {more} 处问题"] if more > 0 else [])
        raise CommandError(
            "\n".join(shown) + f"\n名册有 {len(problems)} 处问题，没有导入任何成员；请修改后重新导入"
        )
    return rows


@run
def import_main(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}；请检查路径")
        data = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise CommandError(f"无法读取 {path}：{exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise CommandError(f"{path} 太大（超过 2 MB）；名册应是一张成员表")
    text, encoding = decode(data)
    rows = parse_roster(text, str(path))
    store = open_store(args)
    added, updated = store.import_members(rows)
    total = len(store.members())
    note = "（按 GBK 编码读取，中文 Excel 的默认格式）" if encoding == "GBK" else ""
    print(f"已导入 {path}{note}：新增 {added} 人，更新 {updated} 人；名册共 {total} 人（{db_label(args)}）")
    return 0


@run
def list_main(args: argparse.Namespace) -> int:
    store = open_store(args)
    members = store.members()
    if not members:
        print("名册还是空的。导入：python play.py roster import 成员.csv（表头：姓名,支部,编号）")
        return 0
    shown = display_names(members)
    attended: dict[str, int] = {}
    for links in store.member_links().values():
        for member in set(links.values()):
            attended[member] = attended.get(member, 0) + 1
    header = ["姓名", "支部", "编号", "游戏中显示为", "参加场次"]
    table = [
        [m.name, m.branch or "—", m.number or "—", shown[m.id], str(attended.get(m.id, 0))] for m in members
    ]
    widths = [max(_width(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print(
            "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)).rstrip()
        )
    print(f"\n共 {len(members)} 人；组队时选名册里的名字（或输入“游戏中显示为”那一栏），成绩就记在这个人名下")
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
