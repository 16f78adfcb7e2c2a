"""Where a store file lives: pipes and devices refused without hanging, read-only folders and
media read without writing a byte, and `backup` copying a store that is in use, WAL included."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format.scenario import Scenario
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store, StoreError
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
ASSIGN = {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, devices and mounts are POSIX")


def play(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "play.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        input="",
    )


def filled(path: Path, tutorial: Scenario, sessions: int = 3) -> None:
    store = Store(path)
    for seed in range(sessions):
        play_bot_session(tutorial, "random", seed=seed, store=store, team=f"队{seed}")
    store.close()


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


# --- special files as --db -------------------------------------------------------------------------


@pytest.mark.slow
@POSIX
def test_a_fifo_or_a_device_as_db_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "命名管道（FIFO）"), (Path("/dev/null"), "字符设备")):
        out = play("sessions", "--db", str(path), timeout=20)  # opening a FIFO used to block for ever
        assert out.returncode == 2 and "Traceback" not in out.stderr
        assert f"数据库路径 {path} 是{kind}，不是普通文件" in out.stderr, out.stderr
    with pytest.raises(StoreError, match="命名管道"):
        Store(fifo)


# --- read-only folders and media ---------------------------------------------------------------------


def _folder_unwritable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What os.access says for a read-only folder or mount to a normal user (tests run as root,
    who may write anywhere; the real read-only mount below checks what SQLite itself does)."""
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).resolve() == folder.resolve():
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)


def test_a_store_in_a_read_only_folder_is_read_without_creating_a_file(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cd"
    folder.mkdir()
    db = folder / "qingjing.db"
    filled(db, tutorial)
    before = digest(folder)
    assert list(before) == ["qingjing.db"]  # a clean close leaves no -wal or -shm
    _folder_unwritable(monkeypatch, folder)
    store = Store(db)
    assert store.readonly and store.place.immutable
    rows = store.sessions()
    assert len(rows) == 3 and all(store.events(r.id) for r in rows)
    resumed = Session.resume(store, rows[0].id, ManualClock(), check_file=False)
    assert resumed.events == store.events(rows[0].id)
    with pytest.raises(StoreError) as info:
        Session.start(tutorial, store, "队", ASSIGN, ManualClock())
    # the real cause: the folder, not the file (which is writable)
    assert f"所在的文件夹 {folder} 是只读的" in str(info.value)
    store.close()
    assert digest(folder) == before  # not a byte written, no -wal or -shm created


def test_a_new_store_in_a_read_only_folder_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _folder_unwritable(monkeypatch, tmp_path)
    with pytest.raises(StoreError, match=f"无法在文件夹 {tmp_path} 中创建数据库：这个文件夹是只读的"):
        Store(tmp_path / "new.db")
    assert list(tmp_path.iterdir()) == []


def _can_mount_read_only(tmp_path: Path) -> bool:
    if sys.platform != "linux" or not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
         f"mount --bind {tmp_path} {tmp_path} && mount -o remount,bind,ro {tmp_path}"],
        capture_output=True,
        timeout=20,
    )  # fmt: skip
    return probe.returncode == 0


@pytest.mark.slow
def test_reading_from_a_read_only_mount_works_and_playing_names_the_cause(
    tmp_path: Path, tutorial: Scenario
) -> None:
    """A real read-only file system (a bind mount in a private mount namespace): what a USB
    stick locked against writing or a CD is. SQLite itself refuses every write there."""
    media = tmp_path / "media"
    media.mkdir()
    if not _can_mount_read_only(media):
        pytest.skip("needs Linux user and mount namespaces (unshare) to make a read-only mount")
    db = media / "qingjing.db"
    filled(db, tutorial)
    # and a store a crash left with its last steps still in -wal (no -shm)
    crashed = media / "crashed.db"
    live = Store(tmp_path / "live.db")
    live.conn.execute("PRAGMA wal_autocheckpoint = 0")
    play_bot_session(tutorial, "random", seed=5, store=live)
    shutil.copyfile(tmp_path / "live.db", crashed)
    shutil.copyfile(tmp_path / "live.db-wal", f"{crashed}-wal")
    live.close()
    before = digest(media)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    script = (
        f"mount --bind {media} {media} && mount -o remount,bind,ro {media} && "
        f"{sys.executable} play.py sessions --db {db} && "
        f"{sys.executable} play.py report --db {db} --format json -o {out_dir / 'r.json'} && "
        f"{sys.executable} play.py backup --db {db} -o {out_dir / 'copy.db'} && "
        f"{{ {sys.executable} play.py text --scenario scenarios/tutorial.yaml --players 甲 --db {db} </dev/null;"
        " echo exit=$?; } && "
        f"{{ {sys.executable} play.py sessions --db {crashed}; echo crashed=$?; }}"
    )
    out = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    assert "队0" in out.stdout and "已报告 3 场会话" in out.stdout and "已备份" in out.stdout, (
        out.stdout + out.stderr
    )
    assert "exit=2" in out.stdout
    assert f"{db} 所在的磁盘（或分区）是只读的，无法保存进度" in out.stderr, out.stderr
    assert (
        "crashed=2" in out.stdout
        and "旁有未合并的 -wal 日志" in out.stderr
        and "-shm 文件一起复制" in out.stderr
    )
    assert digest(media) == before
    assert (out_dir / "r.json").stat().st_size > 0


# --- backup ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_backup_copies_a_store_in_use_with_its_wal_and_a_plain_copy_does_not(
    tmp_path: Path, tutorial: Scenario
) -> None:
    db = tmp_path / "qingjing.db"
    store = Store(db)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")  # a game whose last steps are only in -wal
    for seed in range(3):
        play_bot_session(tutorial, "random", seed=seed, store=store, team=f"队{seed}")
    steps = store.conn.execute("SELECT count(*) FROM steps").fetchone()[0]
    logs = {r.id: store.events(r.id) for r in store.sessions()}
    assert Path(f"{db}-wal").stat().st_size > 0

    out = play("backup", "--db", str(db), "-o", str(tmp_path / "copy.db"))
    assert out.returncode == 0, out.stderr
    assert f"3 场会话，{steps} 步操作" in out.stdout
    copy = Store(tmp_path / "copy.db")
    assert {r.id: copy.events(r.id) for r in copy.sessions()} == logs
    copy.close()

    # what the documentation warns about: the database file alone lacks the steps still in -wal
    plain = tmp_path / "plain.db"
    shutil.copyfile(db, plain)
    raw = sqlite3.connect(plain)
    try:
        kept = raw.execute("SELECT count(*) FROM steps").fetchone()[0]
    except sqlite3.OperationalError:
        kept = 0  # not even the tables: everything was still in -wal
    raw.close()
    assert kept < steps

    # the game goes on while and after the copy is made
    play_bot_session(tutorial, "random", seed=9, store=store, team="队9")
    store.close()


@pytest.mark.slow
def test_backup_never_overwrites_and_explains_bad_targets(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "qingjing.db"
    filled(db, tutorial, sessions=1)
    taken = tmp_path / "taken.db"
    taken.write_text("重要的东西", encoding="utf-8")
    cases = [
        (taken, "已经存在；Qingjing 不会覆盖它"),
        (db, "不能就是数据库本身"),
        (tmp_path, "是一个文件夹"),
        (tmp_path / "missing" / "copy.db", "无法写入"),
    ]
    for target, words in cases:
        out = play("backup", "--db", str(db), "-o", str(target))
        assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr, (
            target,
            out.stderr,
        )
    assert taken.read_text(encoding="utf-8") == "重要的东西"
    out = play("backup", "--db", str(db), "-o", str(taken), "--force")
    assert out.returncode == 0 and Store(taken).sessions()
    missing = play("backup", "--db", str(tmp_path / "nope.db"), "-o", str(tmp_path / "c.db"))
    assert missing.returncode == 2 and "不存在" in missing.stderr
    assert not (tmp_path / "nope.db").exists()
