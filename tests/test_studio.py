"""The studio's model: re-read on save, problems with positions, the last good map kept, the
play-test through the real rules. (The page itself: tests/test_studio_browser.py.)"""

from __future__ import annotations

import os
import time
from pathlib import Path

from engine.studio.workbench import Workbench

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
PLANTED = TUTORIAL.replace("requires: { task_done: prepare_room }", "requires: { task_done: prepare_rooms }")
PLANTED_LINE = PLANTED.splitlines().index("    requires: { task_done: prepare_rooms }") + 1


def save(path: Path, text: str) -> None:
    """Write as an editor would, and make sure the modification time moves on."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def wait_for(bench: Workbench, key: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while bench.snapshot()[key] is None:
        assert time.monotonic() < deadline, f"{key} never arrived"
        time.sleep(0.05)


def test_a_save_with_an_error_keeps_the_last_good_map(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    save(path, TUTORIAL)
    bench = Workbench(path)
    first = bench.snapshot()
    assert first["valid"] and first["errors"] == 0 and "<svg" in first["map"] and not first["stale"]
    assert not bench.poll()  # nothing changed
    save(path, PLANTED)
    assert bench.poll()
    snap = bench.snapshot()
    assert not snap["valid"] and snap["stale"] and snap["map"] == first["map"]
    (problem,) = [p for p in snap["problems"] if p["severity"] == "error"]
    assert (
        problem["line"] == PLANTED_LINE
        and "prepare_rooms" in problem["message"]
        and "是不是 “prepare_room”" in problem["message"]
    )
    assert problem["source"] == "    requires: { task_done: prepare_rooms }"
    save(path, TUTORIAL)
    assert bench.poll() and bench.snapshot()["valid"]


def test_verify_and_simulate_arrive_in_words(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    save(path, TUTORIAL)
    bench = Workbench(path)
    wait_for(bench, "verify")
    wait_for(bench, "simulate")
    snap = bench.snapshot()
    assert snap["verify"]["passed"] and snap["verify"]["verdict"].startswith("通过")
    sim = snap["simulate"]
    assert sim["teams"] == 100 and abs(sum(e["share"] for e in sim["endings"]) - 1) < 0.01
    assert {t["title"] for t in sim["traps"]} >= {"只通知两地"}
    assert [w["role"] for w in sim["waits"]] == ["李达", "王会悟", "李汉俊"]


def test_a_file_that_never_loaded_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    save(path, "scenario:\n  title：会议\n")
    snap = Workbench(path).snapshot()
    assert snap["map"] == "" and snap["play"] is None and snap["verify"] is None
    assert ("fullwidth-colon", 2, 8) in {(p["code"], p["line"], p["column"]) for p in snap["problems"]}


def test_play_test_springs_a_trap_and_explains_it(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    save(path, TUTORIAL)
    bench = Workbench(path)
    assert bench.play_choose("lida", 1, "start") == ""  # 只请北京、上海两地来人
    play = bench.snapshot()["play"]
    (popup,) = play["popups"]
    assert popup["kind"] == "trap" and popup["title"] == "⚠ 陷阱 · 李达：只通知两地"
    assert "13人" in popup["text"] and popup["source"]
    lida = next(r for r in play["roles"] if r["role"] == "lida")
    assert [c["text"] for c in lida["choices"]] == ["每地派两名代表"]  # the trap bites once
    assert (
        bench.play_choose("lida", 1, "start") == "没有这个选项"
    )  # the trap choice is gone, refused in words
    bench.play_reset()
    assert bench.snapshot()["play"]["popups"] == []
