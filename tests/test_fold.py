"""Chinese text folds without stray spaces; Latin words keep theirs; nothing else changes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.format.fold import joins_tight
from engine.format.loader import load_scenario
from engine.format.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CJK_GAP = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] [\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def load(text: str) -> object:
    return load_yaml(text, "t.yaml")[0]


def test_folded_chinese_joins_with_nothing() -> None:
    data = load("a: >-\n  诸葛亮在南阳耕种，\n  刘备三顾茅庐。\n  先派人去探路\n")
    assert data == {"a": "诸葛亮在南阳耕种，刘备三顾茅庐。先派人去探路"}


def test_latin_words_keep_their_space() -> None:
    data = load("a: >-\n  学习 Python\n  and YAML\n  很有用\n")
    assert data == {"a": "学习 Python and YAML 很有用"}


def test_plain_multi_line_value_folds_too() -> None:
    assert load("a: 扎竹筏，\n  先派一队\n  渡江\n") == {"a": "扎竹筏，先派一队渡江"}


def test_quotes_and_paragraphs() -> None:
    data = load("a: >\n  他说\n  “走大路”。\n\n  第二段\n  ok\n")
    assert data == {"a": "他说“走大路”。\n第二段 ok\n"}


def test_literal_and_more_indented_text_is_left_as_yaml_reads_it() -> None:
    text = "a: |\n  第一行\n  第二行\nb: >\n  第一行\n    缩进的\n  第二行\n"
    assert load(text) == yaml.safe_load(text)


def test_anchored_values_still_load() -> None:
    # the full (anchors) path folds too, or at least reads exactly what YAML reads
    data = load("a: &x >-\n  甲，\n  乙\nb: *x\n")
    assert isinstance(data, dict) and data["a"] == data["b"] and data["a"] in ("甲，乙", "甲， 乙")


def test_tutorial_texts_have_no_space_between_chinese_characters() -> None:
    s = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    d = s.data
    texts = [d.scenario.summary, *(r.brief for r in d.roles), *(e.text for e in d.endings)]
    texts += [n.text for t in d.tasks for n in t.nodes]
    texts += [c.trap.explanation for t in d.tasks for n in t.nodes for c in n.choices if c.trap]
    assert any("\n" not in t and len(t) > 40 for t in texts)
    assert [t for t in texts if CJK_GAP.search(t)] == []


@pytest.mark.slow
def test_text_mode_shows_folded_chinese_without_spaces(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "play.py"),
            "text",
            "--scenario",
            str(ROOT / "scenarios" / "tutorial.yaml"),
            "--players",
            "甲,乙,丙",
            "--db",
            str(tmp_path / "t.db"),
            "--simulated-clock",
        ],
        input="q\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert "开会。你知道" in out.stdout or "安全。你知道" in out.stdout, out.stdout[-2000:]
    # the screen's own layout puts spaces around names; the story text never has one after 。，；
    assert not re.search(r"[。，；：] ", out.stdout), re.search(r".{10}[。，；：] .{10}", out.stdout)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abc XYZ,.12", min_size=1, max_size=12).map(str.strip).filter(bool),
        min_size=1,
        max_size=5,
    )
)
def test_ascii_text_is_exactly_what_yaml_reads(words: list[str]) -> None:
    for style in (">-", ">", ""):
        body = "".join(f"\n  {w}" for w in words)
        text = f"a: {style}{body}\n" if style else f"a: x{body}\n"
        try:
            expected = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        assert load(text) == expected


def test_join_rule() -> None:
    assert joins_tight("。", "A") and joins_tight("a", "，") and joins_tight("中", "文")
    assert joins_tight("说", "“") and not joins_tight("a", "b") and not joins_tight("年", "7")
