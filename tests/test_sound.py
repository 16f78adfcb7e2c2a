"""Sounds (engine.ui.sound and packaging/make_sounds.py): the shipped files are the script's, the
play screen sounds its moments, M mutes, and no audio device means silence, not an error."""

from __future__ import annotations

import importlib.util
import wave
from collections.abc import Iterator
from pathlib import Path

import pygame
import pytest
from ui_driver import frame, key, press_choice

from engine.format.catalog import assets_dir
from engine.format.scenario import Scenario
from engine.rules.step import visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.ui.app import App, Settings
from engine.ui.scenes.play import PlayScene
from engine.ui.sound import NAMES, Sounds

ROOT = Path(__file__).resolve().parent.parent


def _maker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_sounds", ROOT / "packaging" / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def samples(path: Path) -> list[int]:
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
        raw = w.readframes(w.getnframes())
    return [int.from_bytes(raw[i : i + 2], "little", signed=True) for i in range(0, len(raw), 2)]


def test_the_shipped_sounds_are_what_the_script_makes(tmp_path: Path) -> None:
    made = _maker().make(tmp_path)
    assert sorted(p.name for p in made) == sorted(f"{n}.wav" for n in NAMES)
    for path in made:
        shipped = samples(assets_dir() / "sounds" / path.name)
        fresh = samples(path)
        assert len(shipped) == len(fresh)
        # the same to the last bit but for the odd rounding of another machine's sine
        assert max(abs(a - b) for a, b in zip(shipped, fresh, strict=True)) <= 1, path.name
        assert 0.05 < len(fresh) / 22050 < 1.5  # short
        assert max(abs(v) for v in fresh) < 32767 * 0.6  # with headroom


@pytest.fixture
def app(store: Store, clock: ManualClock) -> Iterator[App]:
    a = App(store, Settings(), clock)
    yield a
    a.close()


def test_the_play_screen_sounds_a_choice_a_task_and_a_trap(app: App, tutorial: Scenario) -> None:
    assignment = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
    session = Session.start(tutorial, app.store, "红星小组", assignment, app.clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    frame(app)
    assert app.sounds.available  # SDL's dummy driver counts as a device: the files loaded
    state = session.state
    trap = next(
        i
        for i in visible_choices(tutorial, state, "send_letters", "start")
        if tutorial.choice("send_letters", "start", i).trap is not None
    )
    press_choice(app, "lida", trap)
    assert list(app.sounds.played)[-1] == "trap"
    while scene.queue:
        key(app, pygame.K_RETURN)
    app.clock.advance(600)  # the lock-out is over
    frame(app)
    done = next(
        i
        for i in visible_choices(tutorial, session.state, "send_letters", "start")
        if tutorial.choice("send_letters", "start", i).complete
    )
    press_choice(app, "lida", done)
    assert list(app.sounds.played)[-1] == "task"


def test_m_mutes_and_unmutes(app: App) -> None:
    frame(app)
    key(app, pygame.K_m)
    assert app.sounds.muted and app.settings.muted
    app.sounds.play("choice")
    assert "choice" not in app.sounds.played
    assert any("已静音" in d.text for d in app.ui.drawn)  # said on screen
    key(app, pygame.K_m)
    assert not app.sounds.muted
    app.sounds.play("choice")
    assert list(app.sounds.played) == ["choice"]


def test_m_is_a_letter_where_names_are_typed(app: App, tutorial: Scenario) -> None:
    app.show("setup", scenario=tutorial)
    frame(app)
    key(app, pygame.K_m)
    assert not app.sounds.muted


def test_no_audio_device_is_silence_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_device(*args: object, **kwargs: object) -> None:
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    sounds = Sounds()
    sounds.start()
    assert not sounds.available
    sounds.play("trap")  # nothing happens, nothing raises
    assert list(sounds.played) == ["trap"]


def test_the_last_seconds_of_a_lock_out_tick(app: App, tutorial: Scenario) -> None:
    assignment = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
    session = Session.start(tutorial, app.store, "红星小组", assignment, app.clock)
    scene = app.show("play", session=session)
    assert isinstance(scene, PlayScene)
    while session.state.roles["lida"].task != "greet_comintern":  # good moves until 李达 greets
        app.clock.advance(5)
        role, rs = next((r, rs) for r, rs in session.state.roles.items() if rs.task and rs.node)
        assert rs.task is not None and rs.node is not None
        good = next(
            i
            for i in visible_choices(tutorial, session.state, rs.task, rs.node)
            if tutorial.choice(rs.task, rs.node, i).trap is None
        )
        press_choice(app, role, good)
        while scene.queue:
            key(app, pygame.K_RETURN)
    node = session.state.roles["lida"].node
    assert node is not None
    trap = next(
        i
        for i in visible_choices(tutorial, session.state, "greet_comintern", node)
        if tutorial.choice("greet_comintern", node, i).trap is not None
    )
    press_choice(app, "lida", trap)  # locked for 20 s
    while scene.queue:
        key(app, pygame.K_RETURN)
    app.sounds.played.clear()
    for _ in range(16):  # 20 s down to 4 s left: silence
        app.clock.advance(1)
        frame(app)
    assert "countdown" not in app.sounds.played
    for _ in range(4):  # 3, 2, 1, 0
        app.clock.advance(1)
        frame(app)
        frame(app)  # once a second, not once a frame
    assert list(app.sounds.played).count("countdown") == 3
