"""Benchmark the core: action latency vs a bare SQLite commit, rules vs the Ink runtime bink,
load+validate scaling, memory for 1,000 simulated sessions, and SIGKILL crash rounds.

    python bench/bench_core.py [--quick]

Figures (``name: value``; ratios are ours / theirs):

- ``action_us_{normal,full}``: ``Session.act`` (rules + one durable transaction) per action on
  a real store; ``bare_commit_us_*``: ``BEGIN IMMEDIATE; INSERT one small row; COMMIT`` with
  the same pragmas (WAL, same ``synchronous``) in the same run, measured in alternating rounds;
  ``action_commit_ratio_*`` = action / bare (lower is better). The game uses FULL.
- ``rules_actions_per_s``: bot playthroughs of yida_1921 in memory (rules + bot choice; 25
  nodes and 46 choices, the size of the ink story); ``bink_choices_per_s``: bink playing
  bench/ink/story.ink.json (24 scenes) with random choices, reading the text and the choice
  texts; ``rules_vs_bink_ratio`` = ours / bink (higher is better), measured in alternating
  rounds. ``*_tutorial``: the same for the tutorial (7 nodes, 8.5 actions a play).
- ``load_ms_*``: load + validate (``load_scenario``) of the shipped scenarios and of generated
  scenarios of 1k and 10k nodes; ``load_growth_10k_over_1k`` (10 = linear).
- ``peak_rss_mb_1000_sessions``: peak RSS of a process that simulates 1,000 bot sessions and
  keeps every result; ``baseline_rss_mb`` the same process before simulating.
- ``crash_kills`` / ``crash_acknowledged_checked``: SIGKILL rounds of tests/crash_harness.py.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.catalog import bundled_scenarios  # noqa: E402
from engine.format.loader import load_scenario, parse_scenario  # noqa: E402
from engine.format.problems import ScenarioInvalid  # noqa: E402
from engine.format.scenario import Scenario  # noqa: E402
from engine.rules.step import Choose, visible_choices  # noqa: E402
from engine.session.clock import ManualClock  # noqa: E402
from engine.session.live import Session, assign_roles  # noqa: E402
from engine.store.db import Store  # noqa: E402
from engine.tools.bots import play_bot_session  # noqa: E402

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
YIDA = ROOT / "scenarios" / "yida_1921.yaml"
INK_STORY = ROOT / "bench" / "ink" / "story.ink.json"

Figures = dict[str, float | str]


# --- action latency ----------------------------------------------------------------------------


class _Player:
    """Plays random legal moves into a store, one ``act`` per call; times only ``act``."""

    def __init__(self, scenario: Scenario, store: Store) -> None:
        self.s, self.store = scenario, store
        self.rng = random.Random(7)
        self.session: Session | None = None

    def one(self) -> float:
        s = self.s
        while True:
            if self.session is None or self.session.state.status != "active":
                players = [f"p{i}" for i in range(len(s.roles))]
                self.session = Session.start(
                    s, self.store, "队", assign_roles(s, players, seed=1), ManualClock()
                )
            session = self.session
            clock = session.clock
            assert isinstance(clock, ManualClock)
            state = session.state
            ready = [r for r, rs in state.roles.items() if rs.task is not None and rs.locked_until <= clock.t]
            if not ready:
                clock.t += 60
                continue
            role = self.rng.choice(ready)
            rs = state.roles[role]
            assert rs.task is not None and rs.node is not None
            action = Choose(role, self.rng.choice(visible_choices(s, state, rs.task, rs.node)), rs.node)
            clock.t += 1
            t0 = time.perf_counter()
            session.act(action)
            return time.perf_counter() - t0


def _bare(conn: sqlite3.Connection, i: int) -> float:
    t0 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)", ("x", i, 1.5, "{}"))
    conn.execute("COMMIT")
    return time.perf_counter() - t0


def action_latency(scenario: Scenario, synchronous: str, rounds: int, per_round: int, tmp: Path) -> Figures:
    store = Store(tmp / f"game_{synchronous}.db", synchronous=synchronous)
    bare = sqlite3.connect(tmp / f"bare_{synchronous}.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL").fetchone()
    bare.execute(f"PRAGMA synchronous = {synchronous}")
    bare.execute("CREATE TABLE t (a TEXT, b INTEGER, c REAL, d TEXT)")
    player = _Player(scenario, store)
    for i in range(per_round):  # warm both
        player.one()
        _bare(bare, i)
    ours, theirs = [], []
    for r in range(rounds):  # alternate, so both see the same machine load
        theirs.append(statistics.median(_bare(bare, r * per_round + i) for i in range(per_round)))
        ours.append(statistics.median(player.one() for _ in range(per_round)))
    store.close()
    bare.close()
    a, b = statistics.median(ours), statistics.median(theirs)
    key = synchronous.lower()
    return {
        f"action_us_{key}": round(a * 1e6, 1),
        f"bare_commit_us_{key}": round(b * 1e6, 1),
        f"action_commit_ratio_{key}": round(a / b, 2),
    }


# --- rules vs bink -----------------------------------------------------------------------------


class _Rules:
    """Bot playthroughs (rules + the bot's choices) in memory, seed after seed."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario, self.seed = scenario, 0

    def __call__(self, seconds: float) -> float:
        actions = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            actions += play_bot_session(self.scenario, "random", seed=self.seed).actions
            self.seed += 1
        return actions / (time.perf_counter() - t0)


class _Bink:
    """bink playing the compiled ink story with random choices, reading the choice texts."""

    def __init__(self) -> None:
        from bink.story import Story

        self.story = Story(INK_STORY.read_text(encoding="utf-8-sig"))  # inkjs writes a BOM
        self.rng = random.Random(1)

    def __call__(self, seconds: float) -> float:
        story, rng = self.story, self.rng
        choices = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            story.reset_state()
            while True:
                story.continue_maximally()
                offered = list(story.get_current_choices())  # the texts a player reads
                if not offered:
                    break
                story.choose_choice_index(rng.randrange(len(offered)))
                choices += 1
        return choices / (time.perf_counter() - t0)


def rules_vs_bink(scenarios: dict[str, Scenario], seconds: float, rounds: int) -> Figures:
    """Alternating short rounds (so all see the same machine load); medians per side."""
    try:
        bink: _Bink | None = _Bink()
    except ImportError:
        bink = None
    players = {name: _Rules(s) for name, s in scenarios.items()}
    ours: dict[str, list[float]] = {name: [] for name in scenarios}
    theirs: list[float] = []
    for _ in range(rounds):
        if bink is not None:
            theirs.append(bink(seconds / rounds))
        for name, play in players.items():
            ours[name].append(play(seconds / rounds))
    out: Figures = {}
    ink = statistics.median(theirs) if theirs else None
    out["bink_choices_per_s"] = round(ink) if ink else "n/a (pip install bink)"
    for name, rates in ours.items():
        rate = statistics.median(rates)
        suffix = "" if name == "yida_1921" else f"_{name}"
        out[f"rules_actions_per_s{suffix}"] = round(rate)
        out[f"rules_vs_bink_ratio{suffix}"] = round(rate / ink, 2) if ink else "n/a"
    return out


# --- load + validate scaling -------------------------------------------------------------------


def generate(nodes: int, roles: int = 4, per_task: int = 10) -> str:
    """A valid scenario with ``nodes`` nodes: chained tasks of ``per_task`` nodes, round-robin
    over ``roles`` roles, each task needing the previous one, a trap every few nodes."""
    tasks = max(roles, nodes // per_task)
    out = [
        "scenario:",
        f"  id: gen{nodes}",
        f"  title: 生成的场景（{nodes} 个节点）",
        "  summary: 用于基准测试。",
        "roles:",
    ]
    out += [f"  - {{id: r{r}, name: 角色{r}, brief: 第{r}个角色。}}" for r in range(roles)]
    out += ["flags:", "  - {id: alarm, type: bool, initial: false}", "tasks:"]
    for t in range(tasks):
        out += [f"  - id: t{t}", f"    role: r{t % roles}", f"    title: 任务{t}"]
        if t:
            out.append(f"    requires: {{task_done: t{t - 1}}}")
        out.append("    nodes:")
        for n in range(per_task):
            lead = f"goto: n{n + 1}" if n + 1 < per_task else "complete: done"
            out.append(f"      - id: n{n}")
            out.append(f"        text: 任务{t}第{n}步：继续推进，注意历史细节。")
            out.append(f"        choices:\n          - {{text: 稳妥推进, {lead}}}")
            if n % 3 == 1:
                out.append(
                    f"          - {{text: 冒进, trap: {{id: trap{t}x{n}, title: 误区, explanation: 史实如此。,"
                    f" penalty: 1, set: {{alarm: true}}}}, {lead}}}"
                )
    out += ["endings:", f"  - {{id: done, title: 完成, text: 全部完成。, when: {{task_done: t{tasks - 1}}}}}"]
    return "\n".join(out) + "\n"


def load_times(repeat: int) -> Figures:
    out: Figures = {}
    for path in bundled_scenarios():
        try:
            best = min(_timed(lambda p=path: load_scenario(p)) for _ in range(repeat))
        except ScenarioInvalid:  # a scenario being edited: say so, keep benchmarking
            out[f"load_ms_{path.stem}"] = "invalid"
            continue
        out[f"load_ms_{path.stem}"] = round(best * 1000, 2)
    per: dict[int, float] = {}
    for nodes in (1000, 10000):
        text = generate(nodes)
        best = min(
            _timed(lambda t=text, n=nodes: parse_scenario(t, f"gen{n}.yaml"))
            for _ in range(max(1, repeat // 2))
        )
        per[nodes] = best
        out[f"load_ms_{nodes // 1000}k_nodes"] = round(best * 1000, 1)
        out[f"load_kib_{nodes // 1000}k_nodes"] = round(len(text.encode()) / 1024)
    out["load_growth_10k_over_1k"] = round(per[10000] / per[1000], 1)
    return out


def _timed(fn: object) -> float:
    assert callable(fn)
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# --- memory ------------------------------------------------------------------------------------

_MEMORY = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from engine.tools.bots import POLICIES, play_bot_session
from engine.format.loader import load_scenario

def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss can carry the parent's peak across exec
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

s = load_scenario(sys.argv[2])
base = peak_mb()
results = [play_bot_session(s, POLICIES[i % 3], seed=i) for i in range(int(sys.argv[3]))]
print(base, peak_mb(), sum(len(r.events) for r in results))
"""


def memory(sessions: int) -> Figures:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(ROOT), str(TUTORIAL), str(sessions)],
        capture_output=True,
        text=True,
        check=True,
    )
    base, peak, events = out.stdout.split()
    return {
        f"peak_rss_mb_{sessions}_sessions": round(float(peak), 1),
        "baseline_rss_mb": round(float(base), 1),
        f"events_kept_{sessions}_sessions": int(events),
    }


# --- crash rounds ------------------------------------------------------------------------------


def crash_rounds(scenario: Scenario, kills: int, tmp: Path) -> Figures:
    if not hasattr(os, "fork"):
        return {"crash_kills": "n/a (needs fork)"}
    sys.path.insert(0, str(ROOT / "tests"))
    from crash_harness import check_store, kill_after, parse_acks

    rng = random.Random(99)
    acknowledged = 0
    for kill in range(kills):
        db = tmp / f"crash{kill // 20}.db"
        output, _ = kill_after(str(db), kill, scenario, rng.uniform(0, 0.15))
        if db.exists():
            acknowledged += check_store(str(db), scenario, parse_acks(output)).acknowledged
    return {"crash_kills": kills, "crash_acknowledged_checked": acknowledged}


# --- entry -------------------------------------------------------------------------------------


def run(quick: bool) -> Figures:
    scenario = load_scenario(TUTORIAL)
    out: Figures = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        out.update(action_latency(scenario, "NORMAL", rounds=15 if quick else 60, per_round=40, tmp=tmp))
        out.update(action_latency(scenario, "FULL", rounds=5 if quick else 30, per_round=10, tmp=tmp))
        # yida_1921 (25 nodes, 46 choices) is the size of the ink story (24 scenes); the headline
        # ratio is on it, the tutorial's is printed beside it
        flagship = load_scenario(YIDA)
        out.update(
            rules_vs_bink(
                {"yida_1921": flagship, "tutorial": scenario}, 3.0 if quick else 12.0, 6 if quick else 24
            )
        )
        out.update(load_times(repeat=3 if quick else 7))
        out.update(memory(1000))
        out.update(crash_rounds(scenario, kills=20 if quick else 1000, tmp=tmp))
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (about half a minute)")
    for key, value in run(parser.parse_args().quick).items():
        print(f"{key}: {value}")
