"""Reading YAML (engine/format/yamlsource.py): plain data, every value's position, and the limits."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from engine.format.problems import ScenarioInvalid
from engine.format.yamlnodes import MAX_DEPTH, MAX_VALUES, SourceMap
from engine.format.yamlsource import decode, load_yaml, paused_gc

ROOT = Path(__file__).resolve().parent.parent
DOC = """\
name: 一大
tasks:
  - id: send
    choices: [一, 二]
  - id: greet
    points: 5
"""


def one_problem(text: str) -> tuple[int, int, str]:
    with pytest.raises(ScenarioInvalid) as caught:
        load_yaml(text, "f.yaml")
    (p,) = caught.value.problems
    assert p.file == "f.yaml" and p.severity == "error"
    return p.line, p.column, p.code


def test_data_and_the_position_of_every_key_and_value() -> None:
    data, smap = load_yaml(DOC, "f.yaml")
    assert data == {
        "name": "一大",
        "tasks": [{"id": "send", "choices": ["一", "二"]}, {"id": "greet", "points": 5}],
    }
    assert smap.values[("tasks", 1, "points")] == (6, 13)
    assert smap.keys[("tasks", 1, "points")] == (6, 5)
    assert smap.values[("tasks", 0, "choices", 1)] == (4, 18)
    # a key is the more useful place for a message about its value; a missing path falls back
    assert smap.position(("tasks", 1, "points")) == (6, 5)
    assert smap.position(("tasks", 1, "nope", 3)) == smap.values[("tasks", 1)] == (5, 5)
    assert smap.value_position(("tasks", 1, "nope")) == smap.values[("tasks", 1)]
    assert SourceMap("f").position(("x",)) == (1, 1)


def test_anchors_take_the_full_path_and_give_the_same_data() -> None:
    """A plain file is read in one pass; one with anchors goes through the node tree. Same data."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    plain, _ = load_yaml(text, "t.yaml")
    anchored = text.replace("title: 入门教程：筹备一大", "title: &t 入门教程：筹备一大", 1)
    assert anchored != text
    via_tree, smap = load_yaml(anchored, "t.yaml")
    assert via_tree == plain
    assert smap.values[("scenario", "title")][0] == text[: text.index("入门教程：筹备一大")].count("\n") + 1


def test_a_duplicate_key_is_refused_at_its_second_place() -> None:
    assert one_problem("a: 1\nb: 2\na: 3\n") == (3, 1, "duplicate-key")


def test_a_control_character_is_refused_where_it_is() -> None:
    assert one_problem("a: 1\nb: x\x1by\n") == (2, 5, "control-char")


def test_merge_keys_are_refused() -> None:
    assert one_problem("base: &b {x: 1}\nother:\n  <<: *b\n")[2] == "merge-key"


def test_nesting_deeper_than_the_limit() -> None:
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, MAX_DEPTH + 2))
    assert one_problem(deep)[2] == "too-deep"
    fine = "a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n"
    assert load_yaml(fine, "f.yaml")[0]["a"] is not None


@pytest.mark.slow
def test_an_alias_bomb_stops_at_the_value_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    assert MAX_VALUES < 10**8
    assert one_problem("\n".join(lines) + "\n")[2] == "too-many-values"


def test_an_empty_file() -> None:
    assert one_problem("# 只有注释\n")[2] == "empty-file"


def test_decode_strips_the_bom_and_points_at_a_bad_byte() -> None:
    assert decode("\ufeffa: 1\n".encode(), "f.yaml") == "a: 1\n"
    with pytest.raises(ScenarioInvalid) as caught:
        decode(b"a: 1\nb: \xff\n", "f.yaml")
    (p,) = caught.value.problems
    assert (p.line, p.column, p.code) == (2, 4, "not-utf8")


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_gc_restores_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()
