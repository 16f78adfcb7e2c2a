"""UI speed: frames per second of the play screen (four panels of long Chinese text, 1280x720),
the same with motion running (a pop-up always rising, the danger meter pulsing, the score
counting), the projector board with eight teams, and the time from launch to the first frame.
Printed, never asserted (targets: >= 60 fps on one core for each; first frame under 2 s)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARA = (
    "一九二一年七月，上海法租界望志路一百零六号。屋外蝉声不断，屋内的人压低声音交谈。"
    "你需要在有限的时间里作出判断：既要让各地代表安全抵达，又不能让巡捕房察觉任何异常。"
    "每一个选择都会影响队友接下来的处境，请仔细回想你所知道的史实。"
)


def four_role_yaml() -> str:
    roles, tasks = [], []
    for n in range(4):
        roles.append(f"  - {{id: r{n}, name: 角色{n + 1}, title: 第{n + 1}位代表, brief: {PARA}}}")
        tasks.append(
            f"""  - id: t{n}
    role: r{n}
    title: 长篇任务第{n + 1}项：在风声鹤唳中完成联络
    goal: 把消息送到
    nodes:
      - id: start
        text: {PARA * 4}
        choices:
          - {{text: 按照约定的暗号，先派可靠的人到码头接应，再分批把代表送到博文女校, complete: done}}
          - {{text: 直接在报纸上登出启事，请各地代表到望志路集合，这样最省事, complete: done}}
          - {{text: 先等一等，看看其他人的安排再说, complete: done}}"""
        )
    return (
        "scenario: {id: bench4, title: 四角色长文本基准, summary: 基准测试}\n"
        "roles:\n" + "\n".join(roles) + "\n"
        "flags:\n  - {id: danger, type: int, initial: 2, display: 危险, limit: 3}\n"
        "tasks:\n" + "\n".join(tasks) + "\n"
        "endings:\n  - {id: end, title: 完, text: 完, when: {task_done: t0}}\n"
    )


def frames_for(app: object, seconds: float, each: object = None) -> float:
    """Frames per second of ``app`` for ``seconds``, the mouse moving (``each`` runs every frame)."""
    import pygame

    frames, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        pygame.event.post(
            pygame.event.Event(
                pygame.MOUSEMOTION, pos=(100 + frames % 900, 400), rel=(1, 0), buttons=(0, 0, 0)
            )
        )
        if callable(each):
            each()
        app.frame()  # type: ignore[attr-defined]
        frames += 1
    return frames / (time.perf_counter() - start)


def motion_fps(seconds: float) -> float:
    """The play screen while something moves every frame: a trap's pop-up rising (restarted each
    frame), the danger meter one step short of its limit (pulsing), the score counting."""
    from engine.format.loader import parse_scenario
    from engine.present.notes import Note
    from engine.session.clock import SystemClock
    from engine.session.live import Session, assign_roles
    from engine.store.db import Store
    from engine.ui.app import App, Settings
    from engine.ui.scenes.play import PlayScene

    scenario = parse_scenario(four_role_yaml(), "<bench>")
    note = Note(
        1,
        "trap",
        "r0",
        "⚠ 陷阱 · 角色1",
        "基准陷阱",
        PARA,
        "历史讲解",
        ("全队扣 5 分", "危险 升至 3/3（+1）"),
        "出处",
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db", synchronous="OFF")
        app = App(store, Settings(size=(1280, 720)), SystemClock())
        session = Session.start(
            scenario, store, "基准队", assign_roles(scenario, ["甲", "乙", "丙", "丁"], seed=1)
        )
        scene = PlayScene(app, session)
        app.go(scene)
        scene.queue[:] = [note]
        app.frame()

        def keep_moving() -> None:
            scene.shown = None  # the pop-up starts rising again
            scene.score.set(scene.score.target + 5, time.monotonic())

        fps = frames_for(app, seconds, keep_moving)
        app.close()
        store.close()
    return fps


def projector_fps(seconds: float) -> float:
    """The desktop's projector board: eight teams ranked, at 1280x720."""
    from engine.format.catalog import default_scenario
    from engine.format.loader import load_scenario
    from engine.session.clock import SystemClock
    from engine.store.db import Store
    from engine.ui.app import App, Settings
    from engine.ui.roomshots import FrozenHosting, links
    from engine.ui.scenes.host import HostScene

    scenario = load_scenario(default_scenario())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db", synchronous="OFF")
        app = App(store, Settings(size=(1280, 720)), SystemClock())
        scene = HostScene(app, scenario)
        scene.hosting = FrozenHosting(links(scenario, count=8, joining=0), app.clock)
        app.go(scene)
        app.frame()
        fps = frames_for(app, seconds)
        app.close()
        store.close()
    return fps


def play_fps(seconds: float) -> tuple[float, float]:
    import pygame

    from engine.format.loader import parse_scenario
    from engine.session.clock import SystemClock
    from engine.session.live import Session, assign_roles
    from engine.store.db import Store
    from engine.ui.app import App, Settings
    from engine.ui.scenes.play import PlayScene

    scenario = parse_scenario(four_role_yaml(), "<bench>")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db", synchronous="OFF")
        app = App(store, Settings(size=(1280, 720)), SystemClock())
        session = Session.start(
            scenario, store, "基准队", assign_roles(scenario, ["甲", "乙", "丙", "丁"], seed=1)
        )
        app.go(PlayScene(app, session))
        app.frame()  # warm the text cache
        pygame.image.save(app.screen, os.path.join(tmp, "check.png"))
        frames, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            pygame.event.post(
                pygame.event.Event(
                    pygame.MOUSEMOTION, pos=(100 + frames % 900, 400), rel=(1, 0), buttons=(0, 0, 0)
                )
            )
            app.frame()
            frames += 1
        fps = frames / (time.perf_counter() - start)
        cold = time.perf_counter()
        app.text.clear()
        app.frame()
        cold_ms = (time.perf_counter() - cold) * 1000
        app.close()
        store.close()
    return fps, cold_ms


FIRST_FRAME = """
import time, tempfile, pathlib
t0 = time.perf_counter()
from engine.store.db import Store
from engine.ui.app import App, Settings
store = Store(pathlib.Path(tempfile.mkdtemp()) / "q.db")
app = App(store, Settings())
app.frame()
print(time.perf_counter() - t0)
"""


def first_frame() -> tuple[float, float]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    wall = time.perf_counter() - start
    return wall, float(out.stdout.strip().splitlines()[-1])


def run(quick: bool) -> dict[str, float | str]:
    fps, cold_ms = play_fps(1.0 if quick else 4.0)
    moving = motion_fps(1.0 if quick else 4.0)
    room = projector_fps(1.0 if quick else 4.0)
    wall, inside = first_frame()
    return {
        "ui_play_fps_4_panels_1280x720": round(fps, 1),
        "ui_play_fps_with_motion_1280x720": round(moving, 1),
        "ui_projector_fps_8_teams_1280x720": round(room, 1),
        "ui_play_frame_uncached_ms": round(cold_ms, 1),
        "ui_launch_to_first_frame_s": round(wall, 3),
        "ui_first_frame_after_imports_s": round(inside, 3),
    }


if __name__ == "__main__":
    for name, value in run("--quick" in sys.argv).items():
        print(f"{name}: {value}")
