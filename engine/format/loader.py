"""Front door for scenario files: bytes -> YAML data -> pydantic model -> checked Scenario.

load_scenario(path)            -> Scenario, raises ScenarioInvalid
parse_scenario(text, file)     -> Scenario, raises ScenarioInvalid
check_file(path)               -> list[Problem] (never raises; for `play.py validate`)
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from engine.format import model
from engine.format.checks import check_scenario
from engine.format.files import read_source
from engine.format.order import task_order_problems
from engine.format.problems import Problem, ScenarioInvalid, capped
from engine.format.scenario import Scenario
from engine.format.slips import id_slip, key_slip, slip_name, value_slip
from engine.format.yamlnodes import SourceMap
from engine.format.yamlsource import decode, load_yaml, paused_gc


def load_scenario(path: str | FsPath) -> Scenario:
    """Load and check a scenario file; warnings are kept on ``Scenario.warnings``."""
    return parse_scenario(decode(read_source(path), str(path)), str(path))


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    with paused_gc():  # one pause for the whole build; see paused_gc
        scenario, problems = _build(text, file)
    if any(p.severity == "error" for p in problems):
        raise ScenarioInvalid(problems)
    scenario.warnings = [p for p in problems if p.severity == "warning"]
    return scenario


def _build(text: str, file: str) -> tuple[Scenario, list[Problem]]:
    # the YAML data and positions die on return, before the collector runs again: it then
    # scans only what the scenario keeps
    data, smap = load_yaml(text, file)
    scenario = Scenario(_validate(data, smap), text, file)
    problems = check_scenario(scenario, smap)
    if any(p.severity == "error" for p in problems):
        return scenario, problems  # task order is advice for a file that holds together
    return scenario, problems + capped(task_order_problems(scenario, smap))


def check_file(path: str | FsPath) -> list[Problem]:
    """Every problem of a file, errors and warnings, sorted by position."""
    try:
        scenario = load_scenario(path)
    except ScenarioInvalid as exc:
        return sorted(exc.problems, key=lambda p: (p.line, p.column))
    return sorted(scenario.warnings, key=lambda p: (p.line, p.column))


def _validate(data: Any, smap: SourceMap) -> model.ScenarioFile:
    if not isinstance(data, dict):
        raise ScenarioInvalid(
            [
                Problem(
                    smap.file,
                    1,
                    1,
                    "error",
                    "not-mapping",
                    "场景文件的顶层应为映射（scenario:, roles:, tasks:, endings: …）",
                )
            ]
        )
    try:
        return model.ScenarioFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioInvalid(_translate(exc, data, smap)) from None


def _real_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str | int, ...], bool]:
    """Drop union tags from a pydantic loc; report whether any were dropped."""
    path: list[str | int] = []
    node = data
    dropped = False
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not path_is_tag(part):
            path.append(part)  # a missing field: point at its parent mapping
            node = None
        else:
            dropped = True
    return tuple(path), dropped


def path_is_tag(part: str) -> bool:
    return part in model.CONDITION_KEYS or part in {"bool", "int", "str"}


def _all_field_names() -> list[str]:
    names: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            for name, info in value.model_fields.items():
                names.add(info.alias or name)
    return sorted(names)


_FIELDS = _all_field_names()

_TYPE_WORDS = {
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能有小数）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以 “- ” 开头）",
    "dict_type": "应为映射（若干 “键: 值”）",
    "model_type": "应为映射（若干 “键: 值”）",
    "model_attributes_type": "应为映射（若干 “键: 值”）",
}


def _message(err: Any, dropped: bool, path: tuple[str | int, ...]) -> tuple[str, str]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    field = str(err["loc"][-1]) if err["loc"] else ""
    if kind == "missing":
        return "missing-field", f"缺少必填字段 “{field}”；请补上"
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(field, _FIELDS, n=1)
        hint = f"；是不是想写 “{guess[0]}”？" if guess else "；请删除或改正拼写"
        return "unknown-field", f"未知字段 “{field}”{hint}"
    if kind == "condition_kind":
        return "bad-condition", (
            "条件写法不对：需要以下键之一 task_done / flag / event / trap / score / "
            "traps_sprung / all / any / not，例如 {task_done: 任务id}"
        )
    if kind == "string_pattern_mismatch":
        return "bad-id", (
            f"“{_echo(err['input'])}” 不是有效的 id：只能用英文字母、数字、_ 或 -，且以字母开头（中文请写在 title/name 里）"
        )
    if kind == "too_short":
        if isinstance(err["input"], str):
            return "empty", "不能为空；请填写内容"
        return "too-short", f"至少需要 {ctx.get('min_length', 1)} 项"
    if kind == "too_long":
        if isinstance(err["input"], str):
            return "too-long", f"文本过长（最多 {ctx.get('max_length')} 字）；请精简"
        return "too-long", f"最多允许 {ctx.get('max_length')} 项"
    if kind == "literal_error":
        return "bad-choice", f"只能是以下之一：{ctx.get('expected')}"
    if kind in ("greater_than_equal", "greater_than"):
        return "out-of-range", f"数值太小：应 ≥ {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return "out-of-range", f"数值太大：应 ≤ {ctx.get('le', ctx.get('lt'))}"
    if dropped and kind in ("bool_type", "int_type", "int_parsing", "bool_parsing"):
        return "bad-type", f"“{path[-1] if path else field}” 的值应为 true/false 或整数"
    if kind in _TYPE_WORDS:
        return "bad-type", f"“{path[-1] if path else field}” {_TYPE_WORDS[kind]}"
    return "invalid", f"无效的值：{err['msg']}"


_SCALAR_KINDS = ("string_pattern_mismatch", "bool_type", "bool_parsing", "int_type", "int_parsing")


def _slip_problem(err: Any, path: tuple[str | int, ...], smap: SourceMap) -> Problem | None:
    """An input-method slip behind a model error (see engine.format.slips), at its character."""
    kind, value = err["type"], err["input"]
    found: tuple[int, str, str] | None = None
    where: tuple[int, int] | None = None
    if kind == "extra_forbidden":
        found, where = key_slip(str(path[-1])) if path else None, smap.keys.get(path)
    elif kind == "condition_kind" and isinstance(value, dict):
        for key in value:
            found, where = key_slip(str(key)), smap.keys.get((*path, str(key)))
            if found is not None:
                break
    elif kind in ("dict_type", "model_type", "model_attributes_type", "list_type") and isinstance(value, str):
        found, where = value_slip(value), smap.values.get(path)
    elif kind in _SCALAR_KINDS and isinstance(value, str):
        found, where = id_slip(value), smap.values.get(path)
    if found is None:
        return None
    offset, code, message = found
    line, column = where or smap.position(path)
    return Problem(smap.file, line, column + offset, "error", code, message)


def _echo(value: object, limit: int = 60) -> str:
    """A value from the file, as a message quotes it: at most ``limit`` characters."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


_RANGE_ERRORS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")
MAX_PROBLEMS = 100  # beyond this, one summary line: a hostile file must not cost minutes of hints


def _translate(exc: ValidationError, data: Any, smap: SourceMap) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[str | int, ...], int] = {}  # path -> index of its problem
    errors = exc.errors()
    slipped = {(*key[:-1], slip_name(str(key[-1]))) for key in smap.keys if key and key_slip(str(key[-1]))}
    for err in errors:
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                Problem(
                    smap.file,
                    problems[-1].line,
                    problems[-1].column,
                    "error",
                    "too-many-problems",
                    f"错误太多，只列出前 {MAX_PROBLEMS} 处（共 {len(errors)} 处）；请先修正上面的错误",
                    max(0, len(errors) - MAX_PROBLEMS - 1),
                )
            )
            break
        path, dropped = _real_path(err["loc"], data)
        if path in seen:
            # a flag value is "true/false or an integer": for an integer out of range, say so
            # rather than that it is no bool (the union's first branch, reported first)
            first = seen[path]
            if err["type"] in _RANGE_ERRORS and problems[first].code == "bad-type":
                problems[first] = replace(
                    problems[first], code="out-of-range", message=_message(err, dropped, path)[1]
                )
            continue
        seen[path] = len(problems)
        slip = _slip_problem(err, path, smap)
        if slip is not None:
            problems.append(slip)
            continue
        if err["type"] == "missing" and (*path[:-1], str(path[-1])) in slipped:
            continue  # the field is there, misspelt by an input method: that slip is reported
        code, message = _message(err, dropped, path)
        if err["type"] == "extra_forbidden":
            line, column = smap.keys.get(path, smap.position(path))
        elif err["type"] == "missing":
            line, column = smap.value_position(path[:-1] if path else path)
        else:
            line, column = smap.position(path)
        problems.append(Problem(smap.file, line, column, "error", code, message))
    return problems
