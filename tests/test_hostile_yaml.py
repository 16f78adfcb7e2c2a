"""Broken or malicious scenario files: a clear FILE:LINE:COL error, bounded time and memory.

The small cases live in tests/hostile/ (one file each, with the error code it must give); the
big ones (near and over the size limit) are generated into tmp_path. Every file goes through
``check_file`` in-process; the heavy ones also through ``python play.py validate`` in a child
with a 1 GiB address-space limit and a 20 s timeout, so a hang or a memory blow-up fails the
test instead of the machine. Limits: engine/format/yamlsource.py (MAX_BYTES, MAX_DEPTH, MAX_VALUES),
documented in docs/reliability.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.format import yamlnodes, yamlsource
from engine.format.loader import check_file, parse_scenario
from engine.format.problems import ScenarioInvalid

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+) \[(?P<code>[a-z0-9-]+)\]$")

# file -> (line, column, code) of the first error
EXPECTED: dict[str, tuple[int, int, str]] = {
    "alias_bomb": (2, 24, "too-many-values"),
    "alias_self": (1, 11, "too-deep"),
    "bad_int_tag": (3, 12, "bad-value"),
    "complex_key": (1, 3, "bad-key"),
    "control_char": (3, 14, "control-char"),
    "custom_tag": (1, 11, "bad-value"),
    "deep_block": (65, 129, "too-deep"),
    "deep_dashes": (1, 129, "too-deep"),
    "deep_flow": (1, 74, "too-deep"),
    "duplicate_keys": (3, 3, "duplicate-key"),
    "empty": (1, 1, "empty-file"),
    "huge_integer": (3, 12, "bad-value"),
    "latin1": (3, 13, "not-utf8"),
    "merge_key": (3, 3, "merge-key"),
    "nul_byte": (3, 12, "control-char"),
    "null_keys": (1, 1, "missing-field"),
    "only_comments": (1, 1, "empty-file"),
    "python_tag": (1, 11, "bad-value"),
    "surrogate_escape": (3, 13, "yaml-syntax"),
    "tabs": (2, 1, "yaml-syntax"),
    "top_level_list": (1, 1, "not-mapping"),
    "top_level_scalar": (1, 1, "not-mapping"),
    "two_documents": (2, 1, "yaml-syntax"),
    "unclosed_quote": (4, 1, "yaml-syntax"),
    "undefined_alias": (1, 11, "yaml-syntax"),
    "utf16": (1, 1, "not-utf8"),
    "wrong_types": (1, 1, "bad-type"),
    "wrong_types_deep": (2, 3, "bad-type"),
    "yaml_version_2": (1, 1, "yaml-syntax"),
}


def test_the_corpus_is_complete() -> None:
    assert {p.stem for p in HOSTILE.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_gives_a_positioned_error(name: str) -> None:
    path = HOSTILE / f"{name}.yaml"
    problems = check_file(path)
    errors = [p for p in problems if p.severity == "error"]
    assert errors, f"{name} was accepted"
    first = errors[0]
    assert (first.line, first.column, first.code) == EXPECTED[name], str(first)
    for problem in problems:
        m = LINE.match(str(problem))
        assert m and m["file"] == str(path), str(problem)
        assert re.search(r"[\u4e00-\u9fff]", m["msg"]), f"message not in Chinese: {problem}"
        assert "Traceback" not in m["msg"] and "\n" not in m["msg"]


@pytest.mark.slow
def test_mutated_tutorial_never_crashes_the_loader() -> None:
    """Every value of the tutorial replaced in turn by a value of another type (wrong types
    everywhere): the loader reports problems and never raises anything but ScenarioInvalid."""
    text = TUTORIAL.read_text(encoding="utf-8")
    lines = text.splitlines()
    replacements = ["[1, 2]", "{a: 1}", "null", "true", "-7", '""', "3.5", "[]", "{}"]
    value_lines = [i for i, line in enumerate(lines) if re.match(r"^\s*(- )?[a-z_]+: \S", line)]
    checked = 0
    for n, index in enumerate(value_lines):
        prefix = lines[index].split(": ", 1)[0]
        mutated = [*lines]
        mutated[index] = f"{prefix}: {replacements[n % len(replacements)]}"
        try:
            parse_scenario("\n".join(mutated), "mutant.yaml")
        except ScenarioInvalid as exc:
            assert exc.problems and all(LINE.match(str(p)) or p.severity == "warning" for p in exc.problems)
        checked += 1
    assert checked > 100


# --- big files, generated ---------------------------------------------------------------------


def _big_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    limit = yamlsource.MAX_BYTES
    cases = {
        "over_limit": ("scenario:\n  summary: " + "长" * (limit // 3 + 10) + "\n", "file-too-large"),
        "long_line": ("scenario: " + "x" * (limit - 100) + "\n", "bad-type"),
        "many_values": ("".join(f"- {i}\n" for i in range(yamlnodes.MAX_VALUES + 10)), "too-many-values"),
        "many_unknown_keys": ("".join(f"k{i}: {i}\n" for i in range(60_000)), "missing-field"),
        "deep_open_brackets": ("a: " + "[" * (limit - 10), "too-deep"),
        "deep_dashes": ("- " * (limit // 2 - 10) + "x\n", "too-deep"),
        "bomb_near_limit": (
            "a: &a ["
            + ",".join(["x"] * 1000)
            + "]\n"
            + "".join(f"b{i}: &b{i} [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n" for i in range(1))
            + "c: ["
            + ",".join(["*b0"] * 50_000)
            + "]\n",
            "too-many-values",
        ),
        "syntax_error_at_end": ("".join(f"- item{i}\n" for i in range(150_000)) + "bad: [\n", "yaml-syntax"),
    }
    out = {}
    for name, (text, code) in cases.items():
        path = tmp / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        out[name] = (path, code)
    return out


@pytest.mark.slow
def test_big_files_in_process(tmp_path: Path) -> None:
    for name, (path, code) in _big_cases(tmp_path).items():
        problems = check_file(path)
        assert problems and problems[0].code == code, (name, [str(p)[:200] for p in problems[:3]])
        assert LINE.match(str(problems[0])), str(problems[0])[:200]


def test_nesting_reported_as_too_deep_whichever_limit_fires() -> None:
    """libyaml (PyYAML >= 6.0.3) has its own nesting cap that can fire before ours does.

    The organizer must get the same answer either way: `too-deep`, at the parser's position.
    """
    import yaml

    mark = yaml.Mark("x.yaml", 0, 0, 1002, None, None)
    libyaml_error = yaml.MarkedYAMLError(problem="exceeded maximum nesting depth", problem_mark=mark)
    problem = yamlsource._syntax_error(libyaml_error, "x.yaml").problems[0]
    assert (problem.code, problem.line, problem.column) == ("too-deep", 1, 1003)
    assert f"最多允许 {yamlnodes.MAX_DEPTH} 层" in problem.message


LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from engine.cli.main import main
sys.exit(main(["validate", *sys.argv[1:]]))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="resource limits are POSIX")
def test_validate_cli_bounded_time_and_memory(tmp_path: Path) -> None:
    big = _big_cases(tmp_path)
    files = [str(p) for p, _ in big.values()] + [
        str(HOSTILE / f"{n}.yaml")
        for n in ("alias_bomb", "deep_flow", "nul_byte", "wrong_types_deep", "utf16")
    ]
    out = subprocess.run(
        [sys.executable, "-c", LIMITED, *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # generous: a hang fails here instead of blocking the suite
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "MemoryError" not in out.stderr
    for file in files:
        assert re.search(rf"^{re.escape(file)}:\d+:\d+: error: ", out.stdout, re.M), file
    assert f"检查了 {len(files)} 个文件" in out.stdout


@pytest.mark.slow
@pytest.mark.parametrize("name", ["tabs", "duplicate_keys", "empty", "latin1"])
def test_validate_cli_one_file(name: str) -> None:
    out = subprocess.run(
        [sys.executable, "play.py", "validate", str(HOSTILE / f"{name}.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    line, column, code = EXPECTED[name]
    assert f"{name}.yaml:{line}:{column}: error: " in out.stdout and f"[{code}]" in out.stdout
