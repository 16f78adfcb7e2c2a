"""Problems found in a scenario file, and the one exception that carries them.

    ScenarioInvalid(Exception)   -- a file could not be read or is not a valid scenario;
                                    ``.problems`` lists every problem with its position.

Every problem prints as ``FILE:LINE:COLUMN: error: what is wrong; how to fix it`` -- the
format editors and CI logs already know how to jump to. It prints as exactly one line of
printable text: a newline or a control character that reached a message (an id echoed from the
file, a file name) is shown escaped (``\\n``, ``\\x1b``), so a file cannot forge problem lines or
send escape sequences to the organizer's terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
_LABEL = {"error": "error", "warning": "warning"}
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One finding: where (1-based line/column), how bad, a stable code and a Chinese message."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    more: int = 0  # further problems of this kind that this line stands for (not listed)

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {_LABEL[self.severity]}: {self.message} [{self.code}]"
        return printable(text)


SHOWN_PER_KIND = 100  # problems of one kind (code) listed before one line counts the rest


def more_line(first: Problem, count: int) -> Problem:
    """The line that stands for ``count`` unlisted problems of ``first``'s kind, at ``first``."""
    text = f"…还有 {count} 处同类问题（只列出了前 {SHOWN_PER_KIND} 处）；请先修正上面的"
    return Problem(first.file, first.line, first.column, first.severity, first.code, text, count - 1)


def capped(problems: list[Problem]) -> list[Problem]:
    """At most SHOWN_PER_KIND problems of each kind, then one line that counts the rest.

    Every check's output passes through a cap like this: a hostile or generated file must not
    print tens of thousands of lines.
    """
    shown: dict[str, int] = {}
    hidden: dict[str, tuple[Problem, int]] = {}
    out: list[Problem] = []
    for problem in problems:
        if shown.get(problem.code, 0) < SHOWN_PER_KIND:
            shown[problem.code] = shown.get(problem.code, 0) + 1
            out.append(problem)
        else:
            first, count = hidden.get(problem.code, (problem, 0))
            hidden[problem.code] = (first, count + 1 + problem.more)
    return out + [more_line(first, count) for first, count in hidden.values()]


class ScenarioInvalid(Exception):
    """The scenario file has errors; ``problems`` holds all of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "invalid scenario")
