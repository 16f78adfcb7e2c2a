"""A PostgreSQL server for the tests and the benchmark: the one CI started, or a throwaway one.

``QINGJING_TEST_POSTGRES`` (a URL of a database the tests may create schemas in) is used when it
is set: `.ci/run` starts a cluster and sets it. Otherwise, where the server programs are installed
(``initdb``/``pg_ctl`` on PATH or in Debian's ``/usr/lib/postgresql/N/bin``), :class:`Cluster`
makes one in a temporary folder, listening on 127.0.0.1 only, and removes it afterwards. The
server refuses to run as root, so as root it runs as ``nobody`` (through ``runuser``).

Each test gets a schema of its own (``search_path`` in the URL): creating a schema is quick, and
a store looks only at its own schema, so tests never see each other's tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

ENV = "QINGJING_TEST_POSTGRES"
USER = "qingjing"


def server_programs() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, if this machine has them."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder (stop() removes it)."""

    def __init__(self, durable: bool = False) -> None:
        programs = server_programs()
        if programs is None:
            raise RuntimeError("no PostgreSQL server programs (apt-get install postgresql)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="qingjing-pg-"))
        self.data = self.folder / "data"
        self.programs = programs
        self._as = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self._as:
            os.chmod(self.folder, 0o755)
            shutil.chown(self.folder, "nobody")
        self._run(str(programs / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8")
        # tests need no crash safety from the server itself (they kill clients, not the server);
        # the benchmark keeps the server's defaults (durable)
        settings = "" if durable else " -c fsync=off -c full_page_writes=off"
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c max_connections=300{settings}"
        )
        self._run(
            str(programs / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-o",
            options,
            "-w",
            "start",
        )
        self.url = f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run(str(self.programs / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def schema_url(base: str, schema: str) -> str:
    """``base`` with every table read and written in ``schema``."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@contextlib.contextmanager
def fresh_schema(base: str) -> Iterator[str]:
    """A new, empty schema on the server at ``base``; its URL; dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield schema_url(base, name)
    finally:
        for _ in range(20):  # a process of the test may still be closing its connection
            try:
                with psycopg.connect(base, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {name} CASCADE")
                break
            except psycopg.Error:
                time.sleep(0.25)
