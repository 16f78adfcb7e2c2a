"""Release artefacts: the wheel carries everything and plays from anywhere; versions and changelog.

The slow test builds the wheel as a user would (``pip wheel``), checks its file list against the
repository, installs it into a fresh virtual environment and plays the tutorial from an unrelated
folder. The environment borrows this interpreter's installed dependencies through a ``.pth`` file
(no downloads), while ``engine`` itself must come from the wheel.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import site
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from engine import __version__

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import standalone  # noqa: E402

MAPPED = {"engine.bundled.scenarios": "scenarios", "engine.bundled.assets": "assets"}


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_engine_package_is_listed_for_the_wheel() -> None:
    config = _pyproject()["tool"]["setuptools"]
    on_disk = {
        ".".join(p.relative_to(ROOT).parts)
        for p in [ROOT / "engine", *(ROOT / "engine").rglob("*")]
        if p.is_dir() and p.name != "__pycache__"
    }
    listed = set(config["packages"])
    assert listed - set(MAPPED) == on_disk, (
        f"add to [tool.setuptools] packages in pyproject.toml: {sorted(on_disk - listed)}; "
        f"remove: {sorted(listed - set(MAPPED) - on_disk)}"
    )
    assert config["package-dir"] == MAPPED


def test_changelog_has_a_section_for_this_version_and_the_first() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.M)
    release = re.match(r"\d+\.\d+\.\d+", __version__)
    assert release is not None
    # a development version is described under Unreleased until it is tagged
    expected = "Unreleased" if __version__ != release.group() else release.group()
    assert headings[0] == expected, headings
    if expected == "Unreleased":
        assert f"{release.group()}" in text.split("## [", 2)[1], "say which version Unreleased becomes"
    assert "0.1.0" in headings


def _sources(dest: Path) -> Path:
    """The files git knows or would add (not ignored ones), so local build leftovers cannot hide a gap."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(".git", "build", "dist", "*.egg-info"))
        return dest
    for name in listed.stdout.decode("utf-8").split("\0"):
        if name and (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release build: ``python -m build`` (sdist, then the wheel from the sdist, which proves
    the sdist is complete); ``pip wheel`` when the build package is missing."""
    src = _sources(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("dist")
    if importlib.util.find_spec("build") is not None:
        cmd = [sys.executable, "-m", "build", "--outdir", str(out), str(src)]
    else:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    built = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (whl,) = dist.glob("qingjing-*.whl")
    return whl


@pytest.mark.slow
def test_the_sdist_is_a_whole_source_release(dist: Path) -> None:
    sdists = list(dist.glob("qingjing-*.tar.gz"))
    if not sdists:
        pytest.skip('the build package is not installed (pip install -e ".[test]"): no sdist was made')
    prefix = f"qingjing-{__version__}/"
    with tarfile.open(sdists[0]) as tar:
        names = {n[len(prefix) :] for n in tar.getnames()}
    expected = {f"scenarios/{n}" for n in _repo_files("scenarios", "*.yaml")}
    expected |= {f"assets/{n}" for n in _repo_files("assets")}
    expected |= {"scenario.schema.json", "CHANGELOG.md", "tests/conftest.py", "packaging/qingjing.spec"}
    assert expected <= names, sorted(expected - names)
    assert not [n for n in names if "__pycache__" in n]


def _repo_files(folder: str, pattern: str = "**/*") -> set[str]:
    return {p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).glob(pattern) if p.is_file()}


@pytest.mark.slow
def test_the_wheel_carries_the_data(wheel: Path) -> None:
    assert wheel.name == f"qingjing-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())

    def under(prefix: str) -> set[str]:
        return {n[len(prefix) :] for n in names if n.startswith(prefix)}

    assert under("engine/bundled/scenarios/") == _repo_files("scenarios", "*.yaml")
    assert under("engine/bundled/assets/") == _repo_files("assets")
    assert "engine/bundled/scenario.schema.json" in names
    assert under("engine/web/static/") == _repo_files("engine/web/static")
    code = {p.relative_to(ROOT).as_posix() for p in (ROOT / "engine").rglob("*.py")}
    assert code <= names, sorted(code - names)
    assert not [n for n in names if n.split("/")[0] in ("scenarios", "assets", "tests")]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "qingjing = engine.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the dependencies this test run already has; .pth lines go after the venv's own site-packages
    borrowed = [*site.getsitepackages(), site.getusersitepackages()]
    (Path(target) / "_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    return venv


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="the venv layout checked here is Linux/macOS")
def test_the_installed_wheel_works_from_an_unrelated_folder(installed: Path, tmp_path: Path) -> None:
    # the standalone build's smoke test: version, scenarios read from the install, title screen,
    # game window, tutorial in text mode, new, phone host
    standalone.smoke(installed / "bin" / "qingjing", installed, tmp_path)
    env, elsewhere = standalone.user_env(tmp_path), tmp_path / "elsewhere"
    origin = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import engine; print(engine.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert origin.stdout.startswith(str(installed)), origin.stdout + origin.stderr
    listing = subprocess.run(
        [str(installed / "bin" / "qingjing"), "scenarios"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert (
        f"      {installed}" in listing and "/site-packages/engine/bundled/scenarios/tutorial.yaml" in listing
    )
    data = Path(env["XDG_DATA_HOME"]) / "qingjing"
    assert (data / "qingjing.db").is_file()  # the default store, beside ...
    assert {p.name for p in (data / "scenarios").iterdir()} == {"smoke_story.yaml", "scenario.schema.json"}
    assert list(elsewhere.iterdir()) == []  # nothing lands in the current folder


@pytest.mark.slow
def test_the_wheel_runs_as_a_zip(wheel: Path, tmp_path: Path) -> None:
    # zipimport straight from the wheel: data comes out through importlib.resources
    env = {**standalone.user_env(tmp_path), "PYTHONPATH": str(wheel)}
    code = "import sys; from engine.cli.main import main; sys.exit(main())"
    args = [
        "text",
        "--scenario",
        "tutorial",
        *standalone.TUTORIAL_ARGS,
        "--simulated-clock",
        "--db",
        str(tmp_path / "z.db"),
    ]
    played = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env=env,
        input=standalone.TUTORIAL_INPUT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert played.returncode == 0, played.stderr
    assert "══ 结局：筹备圆满 ══" in played.stdout
    probe = (
        "import engine, engine.web.script as s; from engine.format import catalog as c; "
        "print(engine.__file__); print(s.STATIC); print(c.default_scenario())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    engine_file, static, default = out.stdout.split("\n")[:3]
    assert str(wheel) in engine_file, out.stderr
    assert (Path(static) / "phone.html").is_file() and static.startswith(env["XDG_CACHE_HOME"])
    assert Path(default).name == "yida_1921.yaml" and Path(default).is_file()
