"""Group commit against one commit per action, on a disk whose flushes are slow.

The web host stores steps through a committer thread (``engine/store/batch.py``): steps that
arrive while one commit is flushing share the next one. On the machine the benchmarks run on a
flush costs about 0.3 ms, so there is little to group and bench_web.py cannot tell the two apart.
A laptop's cheap SSD, an SD card or a USB stick takes 5-30 ms per flush. This benchmark gives the
host such a disk: a tiny ``LD_PRELOAD`` library (compiled here with ``cc``) makes every
``fsync``/``fdatasync`` of the host process sleep ``--fsync-ms`` first, then flush for real. The
same load as bench_web.py (30 teams x 4 phones on loopback, every check of lost and duplicated
steps) runs alternately with

- ``group``: the host as shipped;
- ``direct``: the same host with its group committer left out (``engine.web.runner.serving``
  replaced by an empty one), so each action is committed inside the hub's handler, on the
  thread that reads every phone's messages, as before group commit.

    python bench/bench_commit.py [--quick] [--fsync-ms 15] [--rounds 2]

Linux only (``LD_PRELOAD``); without a C compiler it prints why it did not run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_web import _load  # noqa: E402

SLOW_FSYNC_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static void nap(void) {
    const char *ms = getenv("QINGJING_BENCH_FSYNC_MS");
    long n = ms ? atol(ms) : 0;
    struct timespec t = {n / 1000, (n % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0) {}
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    nap();
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    nap();
    return real(fd);
}
"""

# The host without its group committer: `serving` is where the server starts it (and the change
# watcher, which a SQLite store does not have).
DIRECT = """
import contextlib, sys
import engine.web.runner as runner

@contextlib.asynccontextmanager
async def serving(hub):
    yield

runner.serving = serving
from engine.cli.main import main
sys.exit(main())
"""


def slow_fsync_library(folder: Path) -> Path | None:
    """Compile the slow-flush library into ``folder``; None without a C compiler or on failure."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or not sys.platform.startswith("linux"):
        return None
    source, library = folder / "slow_fsync.c", folder / "slow_fsync.so"
    source.write_text(SLOW_FSYNC_C)
    built = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", str(library), str(source), "-ldl"], capture_output=True
    )
    return library if built.returncode == 0 else None


def run(quick: bool, fsync_ms: int = 15, rounds: int = 0) -> dict[str, float | str]:
    teams = 4 if quick else 30
    rounds = rounds or (1 if quick else 2)
    with tempfile.TemporaryDirectory() as tmp:
        library = slow_fsync_library(Path(tmp))
        if library is None:
            return {"commit_slow_disk": "n/a (needs Linux and a C compiler for the LD_PRELOAD library)"}
        env = {**os.environ, "LD_PRELOAD": str(library), "QINGJING_BENCH_FSYNC_MS": str(fsync_ms)}
        out: dict[str, float | str] = {"commit_teams": float(teams), "commit_fsync_ms": float(fsync_ms)}
        ways: dict[str, dict[str, Any]] = {"group": {}, "direct": {"entry": ["-c", DIRECT]}}
        for n in range(1, rounds + 1):
            for way, entry in ways.items():  # alternately, so that other jobs' load hits both
                figures, _, _ = _load(teams, 4, env=env, **entry)
                for name in ("web_rtt_p50_ms", "web_rtt_p99_ms", "web_rtt_max_ms", "web_actions"):
                    out[f"commit_{way}_{name.removeprefix('web_')}_{n}"] = figures[name]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="4 teams and one round instead of 30 and two")
    parser.add_argument(
        "--fsync-ms", type=int, default=15, metavar="MS", help="what each flush waits (default 15)"
    )
    parser.add_argument("--rounds", type=int, default=0, metavar="N", help="runs of each way, alternately")
    args = parser.parse_args()
    for name, value in run(args.quick, args.fsync_ms, args.rounds).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
