"""Shared fixtures: the tutorial scenario, a fresh store, a manual clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests drive real pygame screens headless; set before anything imports pygame.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.session.clock import ManualClock
from engine.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


@pytest.fixture(autouse=True)
def own_scenarios(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own (empty, not yet created) "我的场景" folder: no test reads or writes
    the developer's real one, and no test sees another's scenarios. Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("own") / "scenarios"
    monkeypatch.setenv("QINGJING_SCENARIOS", str(folder))
    return folder


@pytest.fixture(scope="session")
def tutorial() -> Scenario:
    return load_scenario(TUTORIAL)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "test.db")
    yield s
    s.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# --- PostgreSQL: the server CI started (QINGJING_TEST_POSTGRES), or a throwaway one -----------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server's URL; the tests that need it are skipped, saying why, without one."""
    from pg_cluster import ENV, Cluster, server_programs

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed (pip install -e '.[test]')")
    url = os.environ.get(ENV)
    if url:
        yield url
        return
    if server_programs() is None:
        pytest.skip(
            f"PostgreSQL tests skipped: {ENV} is not set and no PostgreSQL server programs "
            "(initdb, pg_ctl) were found (apt-get install postgresql)"
        )
    cluster = Cluster()
    try:
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty schema on the server, as a store URL."""
    from pg_cluster import fresh_schema

    with fresh_schema(postgres_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new store's ``--db`` on each backend: a file, then a server schema."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    return str(request.getfixturevalue("postgres_url"))
