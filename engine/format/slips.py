"""Input-method slips and YAML syntax errors, explained in plain Chinese.

A Chinese input method types full-width punctuation: ``title：会议`` (a full-width colon), a
full-width space ``　`` used as indentation, ``［a, b］``, ``{ a，b }``. YAML sees none of
those as structure, so PyYAML reports something far from the cause ("could not find expected
':'" one line later, "mapping values are not allowed here" ...). This module finds the slip
itself and names it at its own line and column; whatever else the parser says is translated
(:mod:`engine.format.yamlwords`), so no English parser message reaches an organizer.

    explain_syntax(text, file, exc) -> Problem       a YAML syntax error, explained
    key_slip(key) -> (offset, message) | None         a mapping key that is really a slip
    value_slip(value) -> (offset, message) | None     a text where a mapping/list was expected

Detection is lexical (line by line) and only consulted once the parser or the model has
already failed, so a full-width colon inside story text is never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from engine.format.problems import Problem
from engine.format.yamlwords import trailing_text, translate

FW_SPACE = "\u3000"
_KEY = r"[A-Za-z_][A-Za-z0-9_\-]*"
# what may stand before a key on a line: indentation and list dashes ("  - - key: ...")
_LEAD = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)*)")
_KEY_SLIP = re.compile(
    rf"(?P<key>{_KEY})(?:(?P<fwcolon>[ \u3000]*：)|(?P<fwsp>\u3000+)(?=[:：])|:(?P<nospace>[^ \t\r\n/:\u3000])"
    r"|:(?P<colonfw>\u3000))"
)
_BLOCK_START = re.compile(r"(?:^|[:\-][ ]+)[|>][+\-0-9]*[ ]*(?:#.*)?$")
_FW_BRACKETS = {"［": "[", "］": "]", "｛": "{", "｝": "}", "【": "[", "】": "]"}
_FW_QUOTES = "“”‘’"


@dataclass(frozen=True)
class Slip:
    """An input-method slip found on a line: 1-based position, a code and the message."""

    line: int
    column: int
    code: str
    message: str


def _colon_message(key: str) -> str:
    return f"这里用了中文冒号“：”；请改成英文冒号加空格“: ”，写成 “{key}: …”"


def _nospace_message(key: str) -> str:
    return f"冒号后面少了空格：YAML 要求英文冒号后面跟一个空格，请写成 “{key}: …”"


def _line_slip(text: str) -> tuple[int, str, str] | None:
    """(0-based column, code, message) of a slip in one line's structure, or None."""
    lead = _LEAD.match(text)
    start = lead.end() if lead else 0
    indent = len(text) - len(text.lstrip(" "))
    if text[indent : indent + 1] == FW_SPACE or text[start : start + 1] == FW_SPACE:
        column = text.index(FW_SPACE, indent)
        return (
            column,
            "fullwidth-space",
            "这一行的缩进里有全角空格“　”（中文输入法下按的空格）；YAML 只认半角空格，请删掉它改用半角空格",
        )
    body = text[start:]
    if body.startswith("#"):
        return None
    m = _KEY_SLIP.match(body)
    if m is not None:
        key = m.group("key")
        if m.group("fwcolon") is not None:
            return start + body.index("：", m.end("key")), "fullwidth-colon", _colon_message(key)
        if m.group("fwsp") is not None:
            return (
                start + m.start("fwsp"),
                "fullwidth-space",
                f"“{key}” 和冒号之间有全角空格“　”；请删掉它，写成 “{key}: …”",
            )
        if m.group("colonfw") is not None:
            return (
                start + m.start("colonfw"),
                "fullwidth-space",
                f"冒号后面是全角空格“　”；请改成半角空格，写成 “{key}: …”",
            )
        return start + m.end("key"), "missing-space", _nospace_message(key)
    value = _value_part(text, start)
    if value is None:
        return None
    offset, part = value
    found = _flow_slip(part)
    if found is not None:
        return offset + found[0], found[1], found[2]
    return None


def _value_part(text: str, start: int) -> tuple[int, str] | None:
    """The value after ``key: `` on a line (or after ``- ``), with its 0-based column."""
    m = re.compile(rf"({_KEY}): +").match(text, start)
    if m is not None:
        return m.end(), text[m.end() :]
    if start > 0 and text[:start].rstrip().endswith("-"):
        return start, text[start:]
    return None


def _flow_slip(part: str) -> tuple[int, str, str] | None:
    """A full-width bracket opening a list/mapping, or full-width , : inside ``[...]``/``{...}``."""
    stripped = part.lstrip(" ")
    lead = len(part) - len(stripped)
    if stripped[:1] in _FW_BRACKETS:
        ch = stripped[0]
        kind = "方括号" if _FW_BRACKETS[ch] == "[" else "花括号"
        pair = "[ ]" if _FW_BRACKETS[ch] == "[" else "{ }"
        return lead, "fullwidth-bracket", f"这里用了中文{kind}“{ch}”；列表和条件要用英文括号 {pair}"
    if stripped[:1] not in ("[", "{"):
        return None
    for index, ch in enumerate(stripped):
        if ch == "#" and index and stripped[index - 1] == " ":
            break
        if ch == "，":
            return lead + index, "fullwidth-comma", "这里用了中文逗号“，”；括号里的各项要用英文逗号“,”分隔"
        if ch == "：":
            key = re.findall(_KEY, stripped[:index])
            return lead + index, "fullwidth-colon", _colon_message(key[-1] if key else "名称")
        if ch in _FW_BRACKETS:
            return lead + index, "fullwidth-bracket", f"这里用了中文括号“{ch}”；请改成英文括号"
    return None


@dataclass
class _Line:
    number: int  # 1-based
    text: str
    indent: int  # leading ASCII spaces
    key_col: int  # 0-based column of the key (after any "- "), or -1
    key: str  # the key, or "-" for a bare list item
    dash_col: int  # 0-based column of the first "- ", or -1
    value: str  # what follows "key:" (stripped), "" for a block opener


def _structure(lines: list[str], upto: int) -> list[_Line]:
    """The structural lines (keys and list items) up to line ``upto`` (1-based), skipping
    comments, blank lines and the bodies of ``|`` / ``>`` text blocks."""
    out: list[_Line] = []
    block_parent = -1  # indentation a block scalar's body must exceed; -1 = not in one
    for number, text in enumerate(lines[:upto], 1):
        stripped = text.strip(" \t")
        indent = len(text) - len(text.lstrip(" "))
        if block_parent >= 0:
            if not stripped or indent > block_parent:
                continue
            block_parent = -1
        if not stripped or stripped.startswith("#"):
            continue
        lead = _LEAD.match(text)
        start = lead.end() if lead else indent
        dash_col = indent if text[indent : indent + 1] == "-" and start > indent else -1
        m = re.compile(rf"({_KEY}|\"[^\"]*\"|'[^']*')[ ]*:(?:[ ]+|$)").match(text, start)
        if m is not None:
            key, key_col, value = m.group(1), start, text[m.end() :].strip()
        elif dash_col >= 0:
            key, key_col, value = "-", -1, text[start:].strip()
        else:
            key, key_col, value = "", start, stripped
        out.append(_Line(number, text, indent, key_col, key, dash_col, value))
        if _BLOCK_START.search(text.rstrip()):
            block_parent = indent
    return out


def find_slip(lines: list[str], first: int, last: int) -> Slip | None:
    """The slip nearest to line ``last`` among structural lines ``first``..``last`` (1-based)."""
    structural = {line.number for line in _structure(lines, last)}
    for number in range(last, first - 1, -1):
        if number not in structural and not lines[number - 1].lstrip(" ").startswith(FW_SPACE):
            continue
        found = _line_slip(lines[number - 1])
        if found is not None:
            column, code, message = found
            return Slip(number, column + 1, code, message)
    return None


def _indent_problem(lines: list[str], line: int, deeper_only: bool) -> tuple[int, int, str] | None:
    """(line, column, message) for a key or list item whose indentation matches no level above.

    ``deeper_only``: the parser read the line as the continuation of the text above it
    ("mapping values are not allowed"): only a line indented deeper than its neighbour's key is
    an indentation slip then.
    """
    rows = _structure(lines, line)
    if not rows or rows[-1].number != line:
        return None
    bad, above = rows[-1], rows[:-1]
    if not above:
        return None
    if deeper_only:
        prev = above[-1]
        if bad.key in ("", "-") or prev.key_col < 0 or bad.key_col <= prev.key_col or not prev.value:
            return None
        if prev.value[:1] in "|>&*!":  # a block or anchor: the deeper line may be meant as its value
            return None
        extra = bad.key_col - prev.key_col
        return (
            bad.number,
            bad.key_col + 1,
            f"缩进太深：“{bad.key}” 比第 {prev.number} 行的 “{prev.key}” 多缩进了 {extra} 格，"
            f"YAML 就把它当成了上一行文字的延续。同一层的字段要左对齐：请让 “{bad.key}” "
            f"和第 {prev.number} 行的 “{prev.key}” 对齐（前面 {prev.key_col} 个空格）",
        )
    if bad.dash_col >= 0:  # a list item: its "-" is what must line up
        column = bad.dash_col
        candidates = [(r.dash_col, r) for r in above if r.dash_col >= 0]
        what = "“-”"
    elif bad.key not in ("", "-"):
        column = bad.key_col
        candidates = [(r.key_col, r) for r in above if r.key_col >= 0 and r.key not in ("", "-")]
        what = f"“{bad.key}”"
    else:
        return None
    levels = {c for c, _ in candidates}
    if column in levels or not candidates:
        return None
    # the nearest line above whose level is closest to this one: that is the one meant
    best_col, best = min(reversed(candidates), key=lambda item: abs(item[0] - column))
    target = f"“{best.key}”" if what != "“-”" else "“-”"
    more = "多" if column > best_col else "少"
    return (
        bad.number,
        column + 1,
        f"缩进对不齐：{what} 前面有 {column} 个空格，和上面任何一层都对不上。"
        f"它应该和第 {best.number} 行的 {target} 对齐吗？那样要缩进 {best_col} 个空格"
        f"（现在{more}了 {abs(column - best_col)} 个）；同一层的字段和列表项必须左对齐",
    )


def _quote_problem(lines: list[str], line: int, column: int) -> tuple[int, int, str] | None:
    """``title: “会议: 二”``: full-width quotes do not protect a ": " inside the text."""
    text = lines[line - 1]
    value = _value_part(text, (_LEAD.match(text) or re.match("", text)).end())  # type: ignore[union-attr]
    if value is None:
        return None
    offset, part = value
    if part[:1] in _FW_QUOTES and offset < column:
        return (
            line,
            offset + 1,
            "这段文字里有英文冒号加空格“: ”，YAML 会把它当成新的字段；外面的中文引号“”不起作用。"
            '请把整段文字用英文引号括起来（"…"），或把冒号改成中文冒号“：”',
        )
    return None


_INDENT_PROBLEMS = (
    "expected <block end>",
    "did not find expected key",
    "did not find expected '-' indicator",
)


def explain_syntax(text: str, file: str, exc: yaml.YAMLError) -> Problem:
    """The clearest Chinese explanation of a YAML syntax error, at the most useful position."""
    lines = text.splitlines() or [""]
    problem = context = ""
    line = column = 1
    context_line = 0
    if isinstance(exc, yaml.MarkedYAMLError):
        mark: Any = exc.problem_mark or exc.context_mark
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        problem, context = exc.problem or "", exc.context or ""
        if exc.context_mark is not None:
            context_line = exc.context_mark.line + 1
            if "simple key" in context or "alphabetic or numeric" in problem:
                # "could not find expected ':'" is reported on the next line; the key is here (and
                # a bad alias or anchor one character after its "*" or "&")
                line, column = context_line, exc.context_mark.column + 1
    else:
        problem = str(exc).splitlines()[0] if str(exc) else ""
    last = max(1, min(line, len(lines)))  # an error at the end of the file is past its last line
    # 1. an input-method slip on this line or just above it
    first = max(1, min(context_line or last, last - 2))
    slip = find_slip(lines, first, last)
    if slip is not None:
        return Problem(file, slip.line, slip.column, "error", slip.code, slip.message)
    # 2. indentation that matches no level, or a key indented too deep under a text value
    mapping_values = "mapping values are not allowed" in problem
    if mapping_values or any(p in problem for p in _INDENT_PROBLEMS):
        found = _indent_problem(lines, last, deeper_only=mapping_values)
        if found is not None:
            return Problem(file, found[0], found[1], "error", "bad-indent", found[2])
    if any(p in problem for p in _INDENT_PROBLEMS):
        text_line = lines[last - 1]
        if line == last and column - 1 > len(text_line) - len(text_line.lstrip(" -")):
            return Problem(file, line, column, "error", "yaml-syntax", trailing_text())
    if mapping_values:
        found = _quote_problem(lines, last, column - 1)
        if found is not None:
            return Problem(file, found[0], found[1], "error", "fullwidth-quote", found[2])
    # 3. the parser's own words, translated
    char = lines[last - 1][column - 1 : column] if line == last else ""
    return Problem(
        file, line, column, "error", "yaml-syntax", translate(problem, context, char, context_line)
    )


def key_slip(key: str) -> tuple[int, str, str] | None:
    """(0-based offset, code, message) when a mapping key is really an input-method slip:
    ``task_done：notify``, ``　　penalty``, ``“title”``, ``id:lida``."""
    if key.startswith(FW_SPACE) or key.endswith(FW_SPACE):
        offset = 0 if key.startswith(FW_SPACE) else len(key.rstrip(FW_SPACE))
        return (
            offset,
            "fullwidth-space",
            f"“{key.strip(FW_SPACE)}” 前后有全角空格“　”（中文输入法下按的空格）；YAML 只认半角空格，请删掉它",
        )
    found = _line_slip(key)
    if found is not None:
        return found
    if key[:1] in _FW_QUOTES and key[-1:] in _FW_QUOTES:
        return 0, "fullwidth-quote", f"字段名外面用了中文引号；请去掉引号，直接写 {key[1:-1]}:"
    return None


def value_slip(value: str) -> tuple[int, str, str] | None:
    """(0-based offset, code, message) when a text stands where a mapping or list belongs
    because of a slip (``title：会议`` on its own line, ``［a, b］``)."""
    first = value.split("\n", 1)[0]
    found = _line_slip(first)
    if found is not None:
        return found
    flow = _flow_slip(first)
    if flow is not None:
        return flow
    return None


def id_slip(value: str) -> tuple[int, str, str] | None:
    """An id with a full-width comma or colon in it: ``[a，b]`` read as the single id "a，b"."""
    for index, ch in enumerate(value):
        if ch == "，":
            return index, "fullwidth-comma", "这里用了中文逗号“，”；括号里的各项要用英文逗号“,”分隔"
        if ch == "：":
            return index, "fullwidth-colon", _colon_message(value[:index] or "名称")
        if ch == FW_SPACE:
            return index, "fullwidth-space", "这里有全角空格“　”；请改成半角空格或删掉它"
        if ch in _FW_QUOTES:
            return index, "fullwidth-quote", f"这里有中文引号“{ch}”；id 和数值不需要引号，请删掉它"
    return None


def slip_name(key: str) -> str:
    """The field name a slipped key was meant to be: ``“title”`` / ``　title`` / ``title：x`` -> title."""
    name = key.strip(FW_SPACE + " " + _FW_QUOTES)
    return re.split(r"[：:\u3000 ]", name, maxsplit=1)[0]
