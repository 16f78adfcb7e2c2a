"""Checks of the knowledge check (engine/format/quizcheck.py) beyond the bad-file corpus
(tests/bad/quiz_*.yaml in test_loader.py): what the shipped files carry, and options that are
the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import check_file, parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario

BAD = Path(__file__).parent / "bad"


def test_the_tutorial_shows_the_check_with_every_field(tutorial: Scenario) -> None:
    assert len(tutorial.quiz) >= 4
    for item in tutorial.quiz.values():
        assert item.trap in tutorial.traps and item.explanation and item.source
        assert sum(o.correct for o in item.options) == 1


def test_two_options_alike_cannot_be_told_apart() -> None:
    text = (BAD / "quiz_unknown_trap.yaml").read_text(encoding="utf-8")
    text = text.replace("trap: opps", "trap: oops").replace("      - text: 那个\n", "      - text: 这个\n")
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "t.yaml")
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.column) == ("quiz-same-option", 37, 9)
    assert "第 2 个选项与第 1 个完全相同" in problem.message


def test_an_item_needs_two_options_and_a_trap() -> None:
    text = (BAD / "quiz_without_source.yaml").read_text(encoding="utf-8") + "    source: 某书\n"
    assert parse_scenario(text, "t.yaml").warnings == []
    one = text.replace("      - text: 那个\n", "")
    assert [p.code for p in problems_of(one)] == ["too-short"]
    untrapped = text.replace("    trap: oops\n", "")
    assert [p.code for p in problems_of(untrapped)] == ["missing-field"]


def problems_of(text: str):  # type: ignore[no-untyped-def]
    with pytest.raises(ScenarioInvalid) as info:
        parse_scenario(text, "t.yaml")
    return info.value.problems


def test_the_corpus_file_is_still_checked_by_path() -> None:
    assert [p.code for p in check_file(BAD / "quiz_without_source.yaml")] == ["quiz-without-source"]
