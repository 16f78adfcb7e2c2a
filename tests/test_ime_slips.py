"""Input-method slips and YAML syntax errors, in plain Chinese, at the right place.

Golden cases live in ``tests/ime/<case>/``: ``scenario.yaml`` (a small valid scenario with one
slip typed into it) and ``expected.txt`` (every problem ``validate`` reports, exactly, as
``LINE:COLUMN: severity: message [code]``). After a deliberate wording change, regenerate with
``QJ_REGEN=1 python -m pytest tests/test_ime_slips.py`` and review the diff.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from engine.format import model
from engine.format.loader import check_file, parse_scenario
from engine.format.problems import ScenarioInvalid

CASES = Path(__file__).parent / "ime"
ROOT = Path(__file__).resolve().parent.parent


def _render(path: Path) -> str:
    return "".join(f"{p.line}:{p.column}: {p.severity}: {p.message} [{p.code}]\n" for p in check_file(path))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_message(case: str) -> None:
    folder = CASES / case
    got = _render(folder / "scenario.yaml")
    expected = folder / "expected.txt"
    if os.environ.get("QJ_REGEN"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_every_case_is_an_error() -> None:
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        assert ": error: " in (folder / "expected.txt").read_text(encoding="utf-8"), folder.name


# English that may appear in a message: format names and the field names the organizer types
_ALLOWED = {"YAML", "UTF", "Tab", "KiB", "Unicode", "true", "false", "bool", "int", "skipped"} | {
    name
    for cls in vars(model).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel)
    for field, info in cls.model_fields.items()
    for name in (field, info.alias or field)
}


def english_words(message: str) -> set[str]:
    """Latin words of a message outside the quoted parts (which show the organizer's own text)."""
    bare = re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'|\{[^}]*\}|\[[^\]]*\]", "", message)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z_]{2,}", bare) if w not in _ALLOWED}


SLIPS = [
    ":",
    "：",
    "，",
    ",",
    "[",
    "]",
    "{",
    "}",
    "［",
    "“",
    "”",
    '"',
    "'",
    "　",
    " ",
    "-",
    "#",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    "\t",
    "\n",
    "  ",
    "? ",
]


@pytest.mark.slow
def test_no_parser_english_reaches_an_organizer() -> None:
    """Random slips typed anywhere into the tutorial: every message is Chinese."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    rng = random.Random(15)
    seen = 0
    for _ in range(600):
        at = rng.randrange(len(text))
        mutated = text[:at] + rng.choice(SLIPS) + text[at + rng.choice((0, 0, 1)) :]
        try:
            parse_scenario(mutated, "t.yaml")
        except ScenarioInvalid as exc:
            for problem in exc.problems:
                seen += 1
                # words the file itself contains are the organizer's own text, quoted back
                foreign = english_words(problem.message) - set(re.findall(r"[A-Za-z_]+", mutated))
                assert not foreign, (problem, mutated[max(0, at - 80) : at + 80])
    assert seen > 200


def test_story_text_with_full_width_colon_is_not_a_slip() -> None:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    assert "：" in text  # the tutorial's own story text uses full-width colons
    parse_scenario(text, "t.yaml")
