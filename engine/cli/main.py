"""Command line: ``python play.py [COMMAND] ...``; with no command, the game opens.

Each command lives in its own module under ``engine/cli/commands/`` exposing ``NAME``, ``ORDER``,
``HELP`` and ``register(parser)``; this module only discovers and dispatches, so adding a
command never edits a shared file.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import platform
import sys
from collections.abc import Sequence
from types import ModuleType

from engine import __version__
from engine.cli import commands
from engine.cli.commands._common import program_name

DESCRIPTION = """\
情景 Qingjing —— 团队角色扮演党史学习引擎 / team role-play party-history learning engine

不带命令直接运行即打开游戏窗口。 Run without a command to open the game.
"""


def _command_modules() -> list[ModuleType]:
    mods = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted((m for m in mods if hasattr(m, "register")), key=lambda m: (m.ORDER, m.NAME))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=version_text(),
        help="显示版本号 / show the version",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 commands")
    for mod in _command_modules():
        cmd = sub.add_parser(
            mod.NAME,
            help=mod.HELP,
            description=mod.HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        mod.register(cmd)
    return parser


def version_text() -> str:
    return f"情景 Qingjing {__version__} (Python {platform.python_version()})"


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Chinese must not turn into '?' or crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


def with_default_command(argv: list[str]) -> list[str]:
    """No command means the game: `python play.py --traditional` = `python play.py game --traditional`."""
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "-V", "--version")):
        return ["game", *argv]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_console()
    parser = build_parser()
    args = parser.parse_args(with_default_command(list(sys.argv[1:] if argv is None else argv)))
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a reader that went away shows up here, inside this handler
        return code
    except KeyboardInterrupt:
        print("\n已中断。进度已保存。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the output went into `head` or a pager that closed early: not worth a traceback
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
