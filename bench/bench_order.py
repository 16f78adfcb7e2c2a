"""Does pressing 1 still win? The shown order of options against the "press 1" bot.

Options are shown in a per-session order (engine/rules/shuffle.py). The ``first`` bot policy
always takes the first option shown; the figure is the share of its games that reach the
ending expert bots reach (on the flagship: 红船启航). The issue's bar: at most 25 %. Before the
shuffle a team that pressed 1 reached it every time. ``random`` and ``careful`` are printed for
scale, and the time the shown order costs a view (``role_view`` per role and frame).

    python bench/bench_order.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.loader import load_scenario  # noqa: E402
from engine.present.view import team_view  # noqa: E402
from engine.rules.state import State  # noqa: E402
from engine.rules.step import Start, step  # noqa: E402
from engine.tools.simulate import simulate  # noqa: E402


def run(quick: bool) -> dict[str, float | str]:
    flagship = load_scenario(ROOT / "scenarios" / "yida_1921.yaml")
    teams = 100 if quick else 500
    figures: dict[str, float | str] = {"order_teams": float(teams)}
    for policy in ("first", "random", "careful"):
        sim = simulate(flagship, teams, seed=0, policy=policy, yardstick=True)
        figures["order_expert_ending"] = sim.expert or ""
        figures[f"order_{policy}_expert_ending_share"] = round(sim.expert_share, 3)
    assignment = {r: f"p{i}" for i, r in enumerate(flagship.roles)}
    views = 200 if quick else 2000
    for label, seed in (("written", None), ("shuffled", 12345)):
        state = step(flagship, State(), Start("队", assignment, seed), 0.0)[1]
        started = time.perf_counter()
        for _ in range(views):
            team_view(flagship, state, 1.0, recent=[])
        figures[f"order_team_view_us_{label}"] = round((time.perf_counter() - started) / views * 1e6, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 teams per policy instead of 500")
    args = parser.parse_args()
    for name, value in run(args.quick).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
