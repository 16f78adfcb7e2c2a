"""Report time for a cohort of bot sessions (target: 1,000 sessions in under 2 s per format).

    python bench/bench_report.py [--quick]

The store is generated once and cached in the temp directory (keyed by size and the tutorial's
hash); each format is then timed from opening the store to the written file, as the CLI does.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.loader import load_scenario  # noqa: E402
from engine.report import FORMATS, load_review, write_report  # noqa: E402
from engine.report.sample import fill_store  # noqa: E402
from engine.store.db import Store  # noqa: E402


def cohort_db(sessions: int) -> tuple[Path, float | None]:
    scenario = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    path = Path(tempfile.gettempdir()) / f"qingjing-bench-report-{sessions}-{scenario.hash[:10]}.db"
    if path.exists():
        return path, None
    partial = path.with_suffix(".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    started = time.perf_counter()
    store = Store(partial, synchronous="OFF")
    fill_store(store, scenario, sessions)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    partial.rename(path)
    return path, time.perf_counter() - started


def run(quick: bool) -> dict[str, float | str]:
    sessions = 200 if quick else 1000
    db, generated = cohort_db(sessions)
    results: dict[str, float | str] = {"report_sessions": float(sessions)}
    if generated is not None:
        results["report_generate_s"] = round(generated, 2)
    with tempfile.TemporaryDirectory() as out:
        for fmt in FORMATS:
            started = time.perf_counter()
            store = Store(db)
            review = load_review(store)
            write_report(review, fmt, Path(out) / f"r.{fmt}")
            store.close()
            results[f"report_{fmt}_s"] = round(time.perf_counter() - started, 3)
        store = Store(db)
        started = time.perf_counter()
        load_review(store)
        results["report_replay_only_s"] = round(time.perf_counter() - started, 3)
        store.close()
    results["report_target_s"] = 2.0
    return results


if __name__ == "__main__":
    for name, value in run("--quick" in sys.argv[1:]).items():
        print(f"{name}: {value}")
