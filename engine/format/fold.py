"""Fold Chinese text without stray spaces.

YAML folds a line break inside ``>``/``>-`` text and inside a plain multi-line value into a
space. That suits English; in Chinese it puts a space mid-sentence ("兵力。 毛泽东"). Following
CSS Text's segment-break rule, a folded break between two East Asian wide characters (or next to
full-width punctuation) joins with nothing; Latin words keep their space. Old files read right
with no edit, because this runs when the file is loaded.

    tighten(value, style, start, end, lines) -> str

``value`` is what the parser made of the scalar, ``style`` its YAML style (``>`` or plain),
``start``/``end`` its 0-based (line, column) marks and ``lines`` the file's lines. The folding is
redone from the source lines and compared with the parser's result first: for anything this
module does not model exactly (more-indented lines in ``>`` text, escapes) the two differ and
the parser's value is kept unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Curly quotes, ellipsis and dashes are "ambiguous" width in Unicode, but in Chinese text they
# are full-width punctuation: they join tightly with a wide neighbour.
_CJK_AMBIGUOUS = frozenset("“”‘’…—·")
_HEADER = re.compile(r"^>([+\-]?)([1-9]?)([+\-]?)")


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and not ("\uac00" <= ch <= "\ud7a3")


def _fullwidth_punctuation(ch: str) -> bool:
    return _wide(ch) and unicodedata.category(ch)[0] == "P"


def joins_tight(before: str, after: str) -> bool:
    """Whether a folded line break between these two characters should vanish."""
    if _fullwidth_punctuation(before) or _fullwidth_punctuation(after):
        return True
    if _wide(before):
        return _wide(after) or after in _CJK_AMBIGUOUS
    return before in _CJK_AMBIGUOUS and _wide(after)


def _fold(segments: list[str], tight: bool) -> str:
    """Join lines as YAML folds them: one break -> a space (or nothing when ``tight`` and the
    neighbours are Chinese), each empty line in between -> a newline."""
    out = ""
    blanks = 0
    started = False
    for seg in segments:
        if not seg:
            blanks += 1
            continue
        if not started:
            out = "\n" * blanks + seg
            started = True
        elif blanks:
            out += "\n" * blanks + seg
        else:
            out += ("" if tight and joins_tight(out[-1], seg[0]) else " ") + seg
        blanks = 0
    return out


def _plain(start: tuple[int, int], end: tuple[int, int], lines: Sequence[str]) -> list[str] | None:
    (l0, c0), (l1, c1) = start, end
    if l1 >= len(lines):
        return None
    if l0 == l1:
        return None
    segments = [lines[l0][c0:], *lines[l0 + 1 : l1], lines[l1][:c1]]
    return [s.strip(" \t") for s in segments]


def _folded(
    start: tuple[int, int], end: tuple[int, int], lines: Sequence[str]
) -> tuple[list[str], str] | None:
    """The content lines (indentation removed) and the chomping indicator of ``>`` text."""
    (l0, c0), (l1, c1) = start, end
    header = _HEADER.match(lines[l0][c0:]) if l0 < len(lines) else None
    if header is None:
        return None
    chomp = header.group(1) or header.group(3)
    body = list(lines[l0 + 1 : l1 + (1 if c1 > 0 else 0)])
    non_empty = [line for line in body if line.strip(" ")]
    if not non_empty:
        return None
    indent = int(header.group(2)) + _indent_of(lines[l0]) if header.group(2) else _indent_of(non_empty[0])
    segments = []
    for line in body:
        if not line.strip(" "):
            segments.append("")
            continue
        if _indent_of(line) < indent:
            return None
        content = line[indent:]
        if content[:1] in (" ", "\t"):
            return None  # a more-indented line keeps its breaks: not modelled, keep the parser's
        segments.append(content)  # trailing spaces of ">" text are content: kept
    return segments, chomp


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _chomped(text: str, trailing: int, chomp: str) -> str:
    if chomp == "-":
        return text
    if chomp == "+":
        return text + "\n" + "\n" * trailing
    return text + "\n"


def tighten(
    value: str, style: str | None, start: tuple[int, int], end: tuple[int, int], lines: Sequence[str]
) -> str:
    """``value`` with Chinese line joins closed up (see the module docstring)."""
    if " " not in value or start[0] == end[0]:
        return value
    if not style:  # plain (PyYAML: None, libyaml: "")
        segments = _plain(start, end, lines)
        if segments is None or _fold(segments, tight=False) != value:
            return value
        return _fold(segments, tight=True)
    if style != ">":
        return value
    found = _folded(start, end, lines)
    if found is None:
        return value
    segments, chomp = found
    trailing = 0
    while segments and not segments[-1]:
        segments.pop()
        trailing += 1
    if _chomped(_fold(segments, tight=False), trailing, chomp) != value:
        return value
    return _chomped(_fold(segments, tight=True), trailing, chomp)
