"""Reading a scenario file from disk without trusting the path.

``read_source`` opens the path without blocking and ``fstat``-s it before reading anything: a
folder, a named pipe or a device (``/dev/zero``) is refused unread, a regular file larger than
:data:`~engine.format.yamlsource.MAX_BYTES` is refused by its size alone, and at most
``MAX_BYTES + 1`` bytes are ever read (a file may grow while it is read). Every refusal is a
positioned ``ScenarioInvalid``, like any other problem of the file.
"""

from __future__ import annotations

import errno
import os
import stat

from engine.format.problems import Problem, ScenarioInvalid
from engine.format.yamlsource import MAX_BYTES

_OS_ERRORS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EISDIR: "这是一个文件夹"}
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


def _refuse(file: str, code: str, message: str) -> ScenarioInvalid:
    return ScenarioInvalid([Problem(file, 1, 1, "error", code, message)])


def read_source(path: str | os.PathLike[str]) -> bytes:
    """A scenario file's bytes, at most ``MAX_BYTES``; ScenarioInvalid for anything else."""
    file = str(path)
    try:
        fd = os.open(path, _FLAGS)
    except OSError as exc:
        reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror)
        raise _refuse(file, "unreadable", f"无法读取文件（{reason}）；请检查路径") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse(file, "unreadable", "无法读取文件（这是一个文件夹）；请检查路径")
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(file, "not-a-file", "这不是普通文件（是管道或设备）；场景必须是一个 YAML 文本文件")
        if info.st_size > MAX_BYTES:
            raise _too_large(file, f"{info.st_size // 1024} KiB")
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _refuse(file, "unreadable", f"无法读取文件（{exc.strerror}）；请检查路径") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:
        raise _too_large(file, f"超过 {MAX_BYTES // 1024} KiB")
    return raw


def _too_large(file: str, size: str) -> ScenarioInvalid:
    return _refuse(
        file, "file-too-large", f"文件过大（{size}）：场景文件最大 {MAX_BYTES // 1024} KiB；请拆分或精简文本"
    )
