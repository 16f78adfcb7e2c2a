"""Read YAML safely into plain data plus a map from each value's path to its position.

Only PyYAML's SafeLoader composer is used (no tags that build objects), and the conversion to
Python data is ours, so that we can:

- remember the line/column of every key and value (errors point at the YAML, not at a model);
- refuse duplicate keys (PyYAML silently keeps the last one);
- bound the work done on hostile input: file size, nesting depth and the number of values
  produced (an alias "billion laughs" bomb expands to far more values than it has characters).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem, ScenarioInvalid

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 200_000

Path = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every value, keyed by its path from the root.

    ``keys`` holds the position of a mapping key itself, which is where an "unknown field" or
    "wrong value" message is most useful.
    """

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int, int]:
        """Best position for a path: the value, else the key, else the nearest ancestor."""
        probe = tuple(path)
        while True:
            if probe in self.keys and probe in self.values:
                # for scalars the key is the more recognisable place; for blocks, the key too
                return self.keys[probe]
            if probe in self.values:
                return self.values[probe]
            if probe in self.keys:
                return self.keys[probe]
            if not probe:
                return (1, 1)
            probe = probe[:-1]

    def value_position(self, path: Path) -> tuple[int, int]:
        probe = tuple(path)
        while probe and probe not in self.values:
            probe = probe[:-1]
        return self.values.get(probe, (1, 1))


def _fail(file: str, line: int, column: int, code: str, message: str) -> ScenarioInvalid:
    return ScenarioInvalid([Problem(file, line, column, "error", code, message)])


def decode(raw: bytes, file: str) -> str:
    """Bytes to text, with a positioned error for non-UTF-8 input."""
    if len(raw) > MAX_BYTES:
        raise _fail(
            file,
            1,
            1,
            "file-too-large",
            f"文件过大（{len(raw) // 1024} KiB）：场景文件最大 {MAX_BYTES // 1024} KiB；请拆分或精简文本",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _fail(
            file,
            line,
            column,
            "not-utf8",
            f"文件不是 UTF-8 编码（第 {exc.start} 字节 0x{raw[exc.start]:02x}）；请用 UTF-8 保存文件",
        ) from None
    return text


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data and its SourceMap, or raise ScenarioInvalid."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _fail(file, 1, 1, "file-too-large", f"文件过大：场景文件最大 {MAX_BYTES // 1024} KiB")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or "语法错误"
        hint = _syntax_hint(what)
        raise _fail(file, line, column, "yaml-syntax", f"YAML 语法错误：{what}{hint}") from None
    except yaml.YAMLError as exc:
        raise _fail(file, 1, 1, "yaml-syntax", f"YAML 语法错误：{exc}") from None
    except RecursionError:
        raise _fail(file, 1, 1, "too-deep", f"嵌套过深：最多允许 {MAX_DEPTH} 层；请检查缩进或括号") from None
    smap = SourceMap(file)
    if node is None:
        raise _fail(file, 1, 1, "empty-file", "文件是空的：请从 `python play.py new 名称` 生成的模板开始")
    converter = _Converter(file, smap)
    return converter.convert(node, (), 0), smap


def _syntax_hint(problem: str) -> str:
    if "tab" in problem or "'\\t'" in problem:
        return "；YAML 不允许用制表符（Tab）缩进，请改用空格"
    if "mapping values are not allowed" in problem:
        return "；可能是文本中含有“: ”，请给整段文本加引号，或使用 | 块文本"
    if "could not find expected ':'" in problem:
        return "；请检查上一行是否缺少冒号或引号未闭合"
    return "；请检查这一行及上一行的缩进、引号和冒号"


class _Converter:
    def __init__(self, file: str, smap: SourceMap) -> None:
        self.file = file
        self.smap = smap
        self.count = 0
        self._loader = yaml.SafeLoader("")

    def _bump(self, node: yaml.Node) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _fail(
                self.file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "too-many-values",
                f"值的数量超过上限 {MAX_VALUES}（可能是锚点/别名层层展开）；请不要嵌套使用别名",
            )

    def convert(self, node: yaml.Node, path: Path, depth: int) -> Any:
        self._bump(node)
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        if depth > MAX_DEPTH:
            raise _fail(self.file, *pos, "too-deep", f"嵌套过深：最多允许 {MAX_DEPTH} 层")
        self.smap.values.setdefault(path, pos)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _fail(
                        self.file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "bad-key",
                        "键必须是简单文本；请去掉复杂键（? 语法）",
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _fail(
                        self.file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "merge-key",
                        "不支持 YAML 合并键 “<<”；请直接写出各字段",
                    )
                # keys are names, never bools: YAML 1.1 would read a key `on:` as True
                key = str(key_node.value)
                key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in result:
                    first = self.smap.keys.get((*path, key), key_pos)
                    raise _fail(
                        self.file,
                        *key_pos,
                        "duplicate-key",
                        f"重复的键 “{key}”（第一次出现在第 {first[0]} 行）；请删除或合并其中一个",
                    )
                self.smap.keys[tuple((*path, key))] = key_pos
                result[key] = self.convert(value_node, (*path, key), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        # Resolve plain scalars exactly as SafeLoader would (bools, ints, null, floats).
        try:
            return self._loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            raise _fail(self.file, line, column, "bad-value", f"无法读取的值：{exc.problem}") from None
