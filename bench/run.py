"""Run every benchmark module (bench/bench_*.py) and print one figure a line as ``name: value``.

    python bench/run.py [--quick] [--only core,verify]

Each module exposes ``run(quick: bool) -> dict[str, float | str]``; a module that fails prints
``<module>_error: ...`` and the others still run. Figures from the last full run, with the
machine they came from, are in bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


def modules(only: set[str] | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if only is None or p.stem.removeprefix("bench_") in only]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small samples: the whole run within a minute")
    parser.add_argument("--only", help="comma-separated module names without bench_, e.g. core,verify")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    failed = 0
    for path in modules(only):
        name = path.stem.removeprefix("bench_")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        started = time.perf_counter()
        try:
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses look their module up there
            spec.loader.exec_module(module)
            figures = module.run(args.quick)
        except Exception as exc:  # one broken benchmark must not hide the others
            traceback.print_exc(file=sys.stderr)
            print(f"{name}_error: {type(exc).__name__}: {exc}", flush=True)
            failed += 1
            continue
        for key, value in figures.items():
            print(f"{key}: {value}", flush=True)
        print(f"{name}_bench_seconds: {time.perf_counter() - started:.1f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
