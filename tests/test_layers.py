"""The import graph reads top-down by layer: a package imports only itself and layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"

# Highest first. Packages on one line share a layer and must not import each other.
LAYERS: list[set[str]] = [
    {"cli"},
    {"ui", "terminal", "web", "report", "studio"},
    {"present"},
    {"tools", "review"},
    {"session"},
    {"store"},
    {"rules"},
    {"format"},
]
# Deliberate sideways steps between front-ends, each with its reason.
ALLOWED = {
    ("ui", "web"): "the game's F2 screen hosts the phones' web front-end",
    ("ui", "report"): "the in-game review renders the same debrief as the HTML report",
    ("studio", "web"): "the studio listens on its port the way the LAN host does",
}


def _rank(package: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if package in layer)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "engine" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_engine_package_has_a_layer() -> None:
    packages = {p.name for p in ENGINE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set().union(*LAYERS)
    assert not [p.name for p in ENGINE.glob("*.py") if p.name != "__init__.py"], "modules belong in a layer"


def test_imports_point_down() -> None:
    wrong = []
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ENGINE)
        if len(rel.parts) < 2:
            continue
        own = rel.parts[0]
        for target in _imports(path):
            if target == own or (own, target) in ALLOWED:
                continue
            if _rank(target) <= _rank(own):
                wrong.append(f"{rel}: imports engine.{target}")
    assert not wrong, "\n".join(wrong)


def test_no_relative_imports_across_packages() -> None:
    # absolute imports keep the layer of every dependency visible in the import line
    relative = []
    for path in sorted(ENGINE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        relative += [
            f"{path.relative_to(ENGINE)}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level
        ]
    assert not relative, relative
