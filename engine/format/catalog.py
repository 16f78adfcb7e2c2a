"""Where scenarios live, and how ``--scenario`` (a path or an id) becomes a file.

Two homes, listed in this order:

- **bundled** (内置): shipped with the engine. In the repository they are the top-level
  ``scenarios/`` and ``assets/`` folders and ``scenario.schema.json``; a wheel, a zip or a
  standalone build carries them as ``engine/bundled/...`` (pyproject.toml maps them there) and
  they are found with :mod:`importlib.resources`. A checkout has no ``engine/bundled``: then the
  repository's own folders are used, so nothing is copied in the repository.
- **own** (我的场景): the organizer's folder under the user data directory, beside ``qingjing.db``
  (``$QINGJING_SCENARIOS`` changes it). ``new`` writes there by default.

:func:`resolve` turns what a user typed into a file: an existing path, or the ``scenario.id`` of
a bundled or own scenario (``--scenario zunyi_1935``). Two files with the same id are refused
with both paths named. Every front-end (game, text, host, simulate, studio) calls it.

No pygame, no network: any layer above may use this module.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from engine import __version__
from engine.format.loader import load_scenario
from engine.format.problems import Problem, ScenarioInvalid
from engine.format.scenario import Scenario
from engine.format.yamlsource import decode, load_yaml

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

ENV_SCENARIOS = "QINGJING_SCENARIOS"
SCHEMA_NAME = "scenario.schema.json"
FLAGSHIP = "yida_1921.yaml"
TUTORIAL = "tutorial.yaml"
SUFFIXES = (".yaml", ".yml")

Origin = Literal["bundled", "own", "extra"]
ORIGIN_LABEL: dict[Origin, str] = {"bundled": "内置", "own": "我的场景", "extra": "指定文件"}


class CatalogError(Exception):
    """A scenario name that does not lead to exactly one file; the message says what to do."""


# -- files shipped with the engine ------------------------------------------------------------


def _checkout() -> Path | None:
    """The repository root when running from a checkout (editable install or plain clone)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "engine").is_dir() else None


def package_path(package: str, *parts: str) -> Path:
    """A resource of an installed package as a path on disk (a file or a folder).

    From a wheel or a standalone build this is the file itself. From a zip (zipimport) the
    resource is copied once into the user cache (per engine version; rewritten only if its bytes
    differ), because SQLite, pygame and the web server need real paths.
    """
    resource: Traversable = files(package)
    for part in parts:
        resource = resource / part
    if isinstance(resource, Path):
        return resource
    import platformdirs

    cache = Path(platformdirs.user_cache_dir("qingjing", appauthor=False)) / f"package-{__version__}"
    target = cache.joinpath(*package.split("."), *parts)
    if resource.is_file() or resource.is_dir():
        _copy_out(resource, target)
    return target


def _copy_out(resource: Traversable, target: Path) -> None:
    if resource.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in resource.iterdir():
            _copy_out(child, target / child.name)
        return
    data = resource.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def bundled(name: str) -> Path:
    """``scenarios``, ``assets`` or ``scenario.schema.json`` as shipped: packaged, else the checkout's."""
    packaged = files("engine") / "bundled" / name
    if packaged.is_file() or packaged.is_dir():
        return package_path("engine", "bundled", name)
    root = _checkout()
    return root / name if root is not None else Path(str(packaged))


def assets_dir() -> Path:
    return bundled("assets")


def schema_file() -> Path:
    """The scenario JSON Schema shipped with this engine (``python play.py schema`` writes the same)."""
    return bundled(SCHEMA_NAME)


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:  # no such folder yet, or not readable: nothing to list
        return []


def bundled_scenarios() -> list[Path]:
    return _yaml_files(bundled("scenarios"))


def default_scenario() -> Path:
    """The 1921 flagship when present, else the tutorial."""
    folder = bundled("scenarios")
    flagship = folder / FLAGSHIP
    return flagship if flagship.is_file() else folder / TUTORIAL


# -- the organizer's own scenarios ------------------------------------------------------------


def user_scenarios_dir() -> Path:
    """``$QINGJING_SCENARIOS`` if set, else ``scenarios`` in the user data directory (beside qingjing.db)."""
    env = os.environ.get(ENV_SCENARIOS)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("qingjing", appauthor=False)) / "scenarios"


def own_scenarios() -> list[Path]:
    return _yaml_files(user_scenarios_dir())


def is_user_folder(folder: Path) -> bool:
    return _same(folder, user_scenarios_dir())


def ensure_schema(folder: Path) -> Path:
    """Put this engine's schema in ``folder`` (rewritten when it differs), for editors to find."""
    target = folder / SCHEMA_NAME
    data = schema_file().read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target


def schema_reference(scenario_dir: Path) -> str:
    """What a scenario file in ``scenario_dir`` puts after ``$schema=`` so editors find a schema.

    In the user folder: a copy beside the scenarios (stays valid when the engine moves or is
    upgraded). Elsewhere: the path of the shipped schema relative to the file, as the VS Code YAML
    extension resolves it; a ``file:`` URI when no relative path exists (another drive).
    """
    if is_user_folder(scenario_dir):
        ensure_schema(scenario_dir)
        return SCHEMA_NAME
    schema = schema_file().resolve()
    try:
        return Path(os.path.relpath(schema, scenario_dir.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return schema.as_uri()


# -- listing and resolving ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One scenario file as the catalog sees it.

    Attributes:
        path: the file.
        origin: bundled, own (user folder) or extra (named on the command line).
        id: ``scenario.id`` as written in the file ("" if the file cannot be read as YAML).
        title: ``scenario.title`` as written ("" if missing).
        scenario: the loaded scenario; None when the file has errors (``problems`` says which).
        problems: the file's errors (empty when valid).
    """

    path: Path
    origin: Origin
    id: str
    title: str
    scenario: Scenario | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def valid(self) -> bool:
        return self.scenario is not None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _sources(extra: Sequence[Path]) -> list[tuple[Path, Origin]]:
    """Extra files first (in the order given), then bundled, then own; each file once, with
    its real home as origin even when it was also named on the command line."""
    homes: list[tuple[Path, Origin]] = [
        *((p, "bundled") for p in bundled_scenarios()),
        *((p, "own") for p in own_scenarios()),
    ]
    origin_of = {p.resolve(): origin for p, origin in homes}
    result: list[tuple[Path, Origin]] = []
    seen: set[Path] = set()
    for path, origin in [*((p, origin_of.get(p.resolve(), "extra")) for p in extra), *homes]:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            result.append((path, origin))
    return result


def peek(path: Path) -> tuple[str, str]:
    """``(id, title)`` as written in the file, without checking it; ``("", "")`` if unreadable."""
    try:
        data: Any = load_yaml(decode(path.read_bytes(), str(path)), str(path))[0]
    except (OSError, ScenarioInvalid):
        return "", ""
    meta = data.get("scenario") if isinstance(data, dict) else None
    if not isinstance(meta, dict):
        return "", ""
    sid, title = meta.get("id"), meta.get("title")
    return (sid if isinstance(sid, str) else ""), (title if isinstance(title, str) else "")


def entries(extra: Sequence[Path] = (), load: bool = True) -> list[Entry]:
    """Every known scenario file (extra, bundled, own), each loaded and checked when ``load``."""
    result = []
    for path, origin in _sources(extra):
        if not load:
            result.append(Entry(path, origin, *peek(path)))
            continue
        try:
            scenario = load_scenario(path)
        except ScenarioInvalid as exc:
            errors = tuple(p for p in exc.problems if p.severity == "error")
            result.append(Entry(path, origin, *peek(path), None, errors))
        else:
            result.append(Entry(path, origin, scenario.id, scenario.title, scenario))
    return result


def duplicate_ids(items: Iterable[Entry]) -> dict[str, list[Entry]]:
    """Ids written in more than one file, with those files."""
    by_id: dict[str, list[Entry]] = {}
    for entry in items:
        if entry.id:
            by_id.setdefault(entry.id, []).append(entry)
    return {sid: group for sid, group in by_id.items() if len(group) > 1}


def duplicate_message(sid: str, group: Sequence[Entry]) -> str:
    lines = [f"有 {len(group)} 个场景文件的 id 都是 “{sid}”，无法确定用哪一个："]
    lines += [f"  {ORIGIN_LABEL[e.origin]}：{e.path}" for e in group]
    lines.append("请修改其中一个文件里的 scenario.id（每个场景的 id 应唯一），或直接写文件路径。")
    return "\n".join(lines)


def _looks_like_path(ref: str) -> bool:
    return "/" in ref or "\\" in ref or ref.lower().endswith(SUFFIXES)


def resolve(ref: str | Path, extra: Sequence[Path] = ()) -> Path:
    """The scenario file ``ref`` names: an existing file, or the id of a bundled or own scenario.

    Raises CatalogError (Chinese, with what to do) when nothing or more than one file matches.
    """
    text = str(ref).strip()
    path = Path(text).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        raise CatalogError(f"{text} 是一个文件夹；请写出其中的场景文件，如 {path / 'tutorial.yaml'}")
    if not text or _looks_like_path(text):
        raise CatalogError(
            f"找不到场景文件 {text}；请检查路径，或写场景 id（python play.py scenarios 列出全部场景）"
        )
    known = entries(extra, load=False)
    group = [e for e in known if e.id == text]
    if len(group) == 1:
        return group[0].path
    if group:
        raise CatalogError(duplicate_message(text, group))
    ids = sorted({e.id for e in known if e.id})
    close = difflib.get_close_matches(text, ids, n=1)
    hint = f"你是不是想写 “{close[0]}”？" if close else ""
    raise CatalogError(
        f"找不到场景 “{text}”：它不是一个文件，也不是任何场景的 id。{hint}"
        f"已有的场景 id：{'、'.join(ids) or '（无）'}（python play.py scenarios 列出全部场景和路径）"
    )
