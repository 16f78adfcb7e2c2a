"""A consistent copy of a store file, also while a game is writing to it.

Copying ``qingjing.db`` with the file manager is not a backup: the newest steps live in
``qingjing.db-wal`` until SQLite folds them into the main file (a checkpoint), and after a crash
or power cut they are *only* there. :func:`backup` uses SQLite's online backup API instead: it
reads every page through SQLite, the WAL included, in one read transaction, so the copy is the
store exactly as it was at one moment, whatever other programs are writing. The copy is written
beside the target and renamed into place, checked with ``PRAGMA quick_check``, and switched to a
rollback journal so that it is one self-contained file (it becomes WAL again when Qingjing
opens it to play). The source is opened read-only and never upgraded or otherwise touched.

A server store (PostgreSQL) is backed up by the server's own tool: :func:`dump` runs ``pg_dump``
(a consistent snapshot while hosts keep playing) into its custom format; ``pg_restore`` restores it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from engine.store.db import Store, safe_label
from engine.store.errors import StoreError
from engine.store.sqlite_store import SqliteStore


@dataclass(frozen=True)
class BackupResult:
    sessions: int
    steps: int
    size: int  # bytes


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:  # an empty or older file: nothing of that kind
        return 0


def _check_target(target: Path, source: Path | None, overwrite: bool) -> None:
    if target.exists():
        if target.is_dir():
            raise StoreError(f"{target} 是一个文件夹；请给备份写一个文件名，如 {target / 'qingjing-备份.db'}")
        if source is not None and source.exists() and target.resolve() == source.resolve():
            raise StoreError("备份文件不能就是数据库本身；请用 -o 指定另一个文件")
        if not overwrite:
            raise StoreError(f"{target} 已经存在；Qingjing 不会覆盖它。请换一个文件名，或加 --force 覆盖")


def backup(source: Path, target: Path, overwrite: bool = False) -> BackupResult:
    """Copy the store at ``source`` to ``target``; StoreError (in Chinese) if it cannot."""
    _check_target(target, source, overwrite)
    store = SqliteStore(source, readonly=True, upgrade=False)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        try:
            copy = sqlite3.connect(partial, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"无法写入 {target.parent}（{exc}）；请用 -o 指定可写的位置") from None
        try:
            store.conn.backup(copy)  # every page in one step: one consistent snapshot, WAL included
            copy.execute("PRAGMA journal_mode = DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise StoreError(f"备份副本检查未通过（{verdict}）；原数据库没有改动，请稍后重试")
            sessions, steps = _count(copy, "sessions"), _count(copy, "steps")
        except sqlite3.Error as exc:
            raise StoreError(f"备份失败：{store._explain(exc)}") from None
        finally:
            copy.close()
        try:
            os.replace(partial, target)
        except OSError as exc:
            raise StoreError(f"无法写入 {target}（{exc.strerror}）；请用 -o 指定可写的位置") from None
        return BackupResult(sessions, steps, target.stat().st_size)
    finally:
        store.close()
        with contextlib.suppress(OSError):
            partial.unlink()


def pg_dump_program() -> str | None:
    """``pg_dump`` on PATH, else the newest of Debian's ``/usr/lib/postgresql/N/bin``."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda p: p.parent.parent.name)
    return str(candidates[-1]) if candidates else None


def dump(url: str, target: Path, overwrite: bool = False) -> BackupResult:
    """Back up a server store with PostgreSQL's own ``pg_dump`` (one consistent snapshot, taken
    while hosts keep writing), in its custom format: ``pg_restore -d URL FILE`` brings it back."""
    _check_target(target, None, overwrite)
    store = Store(url, readonly=True, upgrade=False)  # ours, reachable, not too new: else a clear message
    try:
        sessions = len(store._read("SELECT id FROM sessions")) if store.version else 0
        steps = int(store._read("SELECT count(*) FROM steps")[0][0]) if store.version else 0
    finally:
        store.close()
    program = pg_dump_program()
    if program is None:
        raise StoreError(
            "找不到 pg_dump（PostgreSQL 的备份程序）。请在装有 PostgreSQL 客户端的电脑上运行："
            f"pg_dump -Fc -f {target} '{safe_label(url)}'（恢复：pg_restore -d 数据库地址 {target}）"
        )
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        done = subprocess.run(
            [program, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={url}"],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["?"])[-1]
            raise StoreError(f"pg_dump 备份失败：{reason}；数据库没有改动")
        os.replace(partial, target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return BackupResult(sessions, steps, target.stat().st_size)
