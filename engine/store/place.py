"""Where a store file lives, and how to open it: what kind of file it is, whether we may write
there, and the SQLite connection that fits.

A store is written through SQLite's WAL journal, which keeps two files beside the database
(``-wal`` and ``-shm``). So "can we write" depends on the file, its folder and the file system:
a writable file in a read-only folder, on a read-only mount (a locked USB stick, a CD) or on a
locked shared folder can still only be read.
Such a place is opened read-only, and when no ``-wal`` is left beside the file it is opened
*immutable*: SQLite then reads the file alone and creates nothing next to it (nobody can be
writing it: a writer would need that ``-wal``).

Nothing here blocks: the path is ``stat``-ed before anything opens it, so a named pipe or a
device given as ``--db`` is refused instead of hanging the program.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from engine.store.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 30.0  # seconds a writer waits for another team's transaction before giving up

_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


@dataclass(frozen=True)
class Place:
    """A store path, checked. ``readonly`` names why we may only read ("" when we may write)."""

    path: Path
    exists: bool
    readonly: str  # "" | "file" | "folder" | "media"
    immutable: bool

    def refusal(self) -> str:
        """Why a write is refused here, and what the user can do: the real cause, not SQLite's."""
        if self.readonly == "media":
            return (
                f"{self.path} 所在的磁盘（或分区）是只读的，无法保存进度；会话和报告仍可查看。"
                "要继续游戏，请把数据库复制到可写的位置，或用 --db 指定另一个文件"
            )
        if self.readonly == "folder":
            return (
                f"{self.path} 所在的文件夹 {self.path.parent} 是只读的（SQLite 要在数据库旁写入 -wal 日志文件），"
                "无法保存进度；会话和报告仍可查看。要继续游戏，请把数据库复制到可写的位置，或用 --db 指定另一个文件"
            )
        return f"{self.path} 是只读的，无法保存进度；请改为可写，或用 --db 指定另一个文件"


def file_kind(mode: int) -> str:
    """A Chinese name for what a non-regular path is (a pipe, a device...)."""
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def examine(path: Path) -> Place:
    """Check the path without opening anything that could block; raise StoreError if unusable."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return _new_file(path)
    except OSError as exc:
        raise StoreError(
            f"无法访问数据库 {path}（{exc.strerror}）；请检查路径和权限，或用 --db 指定另一个文件"
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"数据库路径 {path} 是一个文件夹；请用 --db 指定一个文件")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(
            f"数据库路径 {path} 是{file_kind(info.st_mode)}，不是普通文件；Qingjing 不会打开它。请用 --db 指定一个数据库文件"
        )
    _check_header(path)
    if _read_only_media(path):
        readonly = "media"
    elif not os.access(path.parent, os.W_OK):
        readonly = "folder"
    elif not os.access(path, os.W_OK):
        readonly = "file"
    else:
        readonly = ""
    # nothing can be created beside the file, and no -wal is there: nobody can be writing it
    immutable = readonly in ("media", "folder") and not Path(f"{path}-wal").exists()
    return Place(path, True, readonly, immutable)


def _read_only_media(path: Path) -> bool:
    """Is the file on a file system mounted read-only (a locked USB stick, a CD)?"""
    flag = getattr(os, "ST_RDONLY", 0)
    try:
        return bool(flag and os.statvfs(path).f_flag & flag)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _new_file(path: Path) -> Place:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {parent}：{exc.strerror}；请用 --db 指定可写的位置") from None
    if not os.access(parent, os.W_OK):
        raise StoreError(f"无法在文件夹 {parent} 中创建数据库：这个文件夹是只读的；请用 --db 指定可写的位置")
    return Place(path, False, "", False)


def _check_header(path: Path) -> None:
    # O_NONBLOCK: if the path was swapped for a pipe since the stat, opening it must not hang
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise StoreError(
            f"无法读取数据库 {path}（{exc.strerror}）；请检查权限，或用 --db 指定另一个文件"
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise StoreError(f"数据库路径 {path} 不是普通文件；请用 --db 指定一个数据库文件")
        head = os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)
    if head and head != SQLITE_HEADER:
        raise StoreError(
            f"{path} 不是 SQLite 数据库文件（可能是别的文件或已损坏）；"
            "Qingjing 不会覆盖它。请用 --db 指定另一个文件，或先备份后移走它"
        )


def connect(place: Place) -> sqlite3.Connection:
    """The connection for this place: read-write, read-only (``mode=ro``, which SQLite enforces
    even for root) or immutable (reads the file alone, creates nothing beside it)."""
    if place.readonly:
        uri = f"{place.path.resolve().as_uri()}?mode=ro"
        if place.immutable:
            uri += "&immutable=1"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
    return sqlite3.connect(str(place.path), timeout=BUSY_TIMEOUT, isolation_level=None)


def explain(place: Place, exc: sqlite3.Error) -> str:
    """SQLite's error as the user's message, naming the real cause where we know it."""
    path, text = place.path, str(exc)
    if "readonly" in text or "read-only" in text:
        return place.refusal()
    if "disk is full" in text or "database or disk is full" in text:
        return f"磁盘已满，无法保存到 {path}；请清理空间后重试（已保存的进度不会丢失）"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"{path} 已损坏或不是数据库（{text}）；Qingjing 不会覆盖它。请备份该文件后用 --db 指定新文件"
    if "locked" in text or "busy" in text:
        return (
            f"{path} 正被其他程序占用超过 {BUSY_TIMEOUT:.0f} 秒，这一步没有保存；"
            "请稍后重试（已保存的进度不会丢失）"
        )
    if place.readonly in ("media", "folder") and "unable to open" in text:
        return (
            f"{path} 旁有未合并的 -wal 日志，但它所在的位置是只读的，SQLite 无法读取它们；"
            "请把数据库连同同名的 -wal、-shm 文件一起复制到可写的位置再打开"
        )
    if "disk I/O error" in text or "unable to open" in text:
        return f"无法读写 {path}（{text}）；请检查磁盘、权限和剩余空间后重试（已保存的进度不会丢失）"
    return f"数据库错误（{path}）：{text}"
