"""Helpers shared by commands: opening the store and scenarios with user-facing errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from engine.format.catalog import CatalogError, default_scenario, resolve
from engine.format.loader import load_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.store.db import Store, StoreError, default_db_path, is_server_url, safe_label


def program_name() -> str:
    """How the user started us, for usage lines and hints: the installed `qingjing` or play.py."""
    return "qingjing" if Path(sys.argv[0]).stem.lower() == "qingjing" else "python play.py"


class CommandError(Exception):
    """A problem to print for the user (no traceback) before exiting with ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


DB_HELP = (
    "数据库：文件路径（默认：用户数据目录下的 qingjing.db），或 PostgreSQL 服务器地址"
    " postgresql://用户@主机:端口/库名；也可用环境变量 QINGJING_DB"
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE|URL", help=DB_HELP)


def db_path(args: argparse.Namespace) -> str | Path:
    """``--db`` as given: a file path, or a server URL kept as text (a URL is never a path)."""
    db = getattr(args, "db", None)
    if not db:
        return default_db_path()
    return db.strip() if is_server_url(db) else Path(db)


def db_label(args: argparse.Namespace) -> str:
    """How to name the store to the user: the path, or the server URL without its password."""
    return safe_label(str(db_path(args)))


def open_store(args: argparse.Namespace) -> Store:
    try:
        return Store(db_path(args))
    except StoreError as exc:
        raise CommandError(f"错误：{exc}") from None


SCENARIO_HELP = "场景：文件路径或场景 id，如 tutorial（python play.py scenarios 列出全部）"


def find_scenario(ref: str | Path | None) -> Path:
    """``--scenario`` as typed, a path or a scenario id, to its file; None means the default scenario."""
    if ref is None or not str(ref).strip():
        return default_scenario()
    try:
        return resolve(ref)
    except CatalogError as exc:
        raise CommandError(f"错误：{exc}") from None


def open_scenario(ref: str | Path | None) -> Scenario:
    """Find (see find_scenario) and load a scenario; errors become a CommandError listing them."""
    path = find_scenario(ref)
    try:
        return load_scenario(path)
    except ScenarioInvalid as exc:
        lines = [str(p) for p in exc.problems if p.severity == "error"]
        raise CommandError(
            "\n".join(lines) + f"\n场景文件有 {len(lines)} 处错误，请先修正（python play.py validate {path}）"
        ) from None


def run(fn: Callable[[argparse.Namespace], int | None]) -> Callable[[argparse.Namespace], int]:
    """Decorator for command functions: CommandError -> message on stderr and its exit code."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(fn(args) or 0)
        except CommandError as exc:
            print(str(exc), file=sys.stderr)
            return exc.code
        except StoreError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2

    return wrapper
