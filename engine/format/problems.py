"""Problems found in a scenario file, and the one exception that carries them.

    ScenarioInvalid(Exception)   -- a file could not be read or is not a valid scenario;
                                    ``.problems`` lists every problem with its position.

Every problem prints as ``FILE:LINE:COLUMN: error: what is wrong; how to fix it`` -- the
format editors and CI logs already know how to jump to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
_LABEL = {"error": "error", "warning": "warning"}


@dataclass(frozen=True)
class Problem:
    """One finding: where (1-based line/column), how bad, a stable code and a Chinese message."""

    file: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {_LABEL[self.severity]}: {self.message} [{self.code}]"


class ScenarioInvalid(Exception):
    """The scenario file has errors; ``problems`` holds all of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "invalid scenario")
