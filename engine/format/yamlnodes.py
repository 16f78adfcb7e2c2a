"""Plain data from a composed YAML node tree, each value checked and its position kept.

The careful path of :mod:`engine.format.yamlsource`: every file with anchors, aliases, tags or an
error goes through :class:`NodeConverter`, which alone words the errors (duplicate, merge and
complex keys, control characters from escapes, ``!!binary``, unreadable values, alias bombs). The
fast one-pass loader borrows its scalar checks so that both paths give the same data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.format.fold import tighten
from engine.format.problems import Problem, ScenarioInvalid
from engine.format.yamlwords import translate

MAX_DEPTH = 64
MAX_VALUES = 200_000
PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# What a double-quoted escape may not produce: control characters other than tab and newline (an
# ESC clears a terminal when text mode shows the string, a CR overwrites the line). Keys allow
# neither tab nor newline: a key is a name that messages echo.
_VALUE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_KEY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BINARY_TAG = "tag:yaml.org,2002:binary"

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


def invalid(file: str, line: int, column: int, code: str, message: str) -> ScenarioInvalid:
    """One positioned error, ready to raise."""
    return ScenarioInvalid([Problem(file, line, column, "error", code, message)])


def invalid_at(file: str, mark: Any, code: str, message: str) -> ScenarioInvalid:
    return invalid(file, mark.line + 1, mark.column + 1, code, message)


class NodeConverter:
    """A composed node tree (anchors shared, tags resolved) to plain data, every value checked and
    its position recorded in the SourceMap; counts values as aliases expand them."""

    def __init__(self, file: str, smap: SourceMap, text: str = "") -> None:
        self.file = file
        self.smap = smap
        self.text = text  # the source, for re-folding multi-line text
        self.lines: list[str] | None = None
        self.count = 0
        self._loader = yaml.SafeLoader("")
        self._loader.dispose()  # its parser state refers back to it: a cycle only gc would free

    def _bump(self, node: yaml.Node) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            raise invalid(
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
            raise invalid(
                self.file, *pos, "too-deep", f"嵌套过深：最多允许 {MAX_DEPTH} 层（可能是别名引用了自身）"
            )
        if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_TAGS:
            # e.g. !!python/object/apply on a list, !!set, !!omap: we build plain data only
            raise invalid(self.file, *pos, "bad-value", f"不支持的 YAML 标签 “{node.tag}”；请去掉它")
        self.smap.values.setdefault(path, pos)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise invalid_at(
                        self.file, key_node.start_mark, "bad-key", "键必须是简单文本；请去掉复杂键（? 语法）"
                    )
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise invalid_at(
                        self.file,
                        key_node.start_mark,
                        "merge-key",
                        "不支持 YAML 合并键 “<<”；请直接写出各字段",
                    )
                # keys are names, never bools: YAML 1.1 would read a key `on:` as True
                key = str(key_node.value)
                key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                bad = _KEY_CONTROL.search(key)
                if bad:
                    raise invalid(
                        self.file,
                        *key_pos,
                        "bad-key",
                        f"键里有换行或控制字符 U+{ord(bad.group()):04X}；键是字段名或 id，请删除它",
                    )
                if key in result:
                    first = self.smap.keys.get((*path, key), key_pos)
                    raise invalid(
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
        value = self.scalar(node)
        if isinstance(value, str) and node.start_mark.line != node.end_mark.line:
            return self.folded(value, node.style, node.start_mark, node.end_mark)
        return value

    def folded(self, value: str, style: str | None, start: Any, end: Any) -> str:
        """Multi-line text with its Chinese line joins closed up (engine.format.fold)."""
        if self.lines is None:
            self.lines = self.text.splitlines()
        return tighten(value, style, (start.line, start.column), (end.line, end.column), self.lines)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        # Resolve plain scalars exactly as SafeLoader would (bools, ints, null, floats).
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag == _BINARY_TAG:
            # bytes would pass a text field as their decoding: escapes and all, unchecked
            raise invalid(self.file, *pos, "bad-value", "不支持 !!binary（二进制数据）；场景里只能写文本")
        try:
            value = self._loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else pos
            raise invalid(self.file, line, column, "bad-value", translate(exc.problem or "", "")) from None
        except (ValueError, OverflowError, TypeError):
            # e.g. an integer of thousands of digits, or `!!int abc`
            raise invalid(
                self.file,
                *pos,
                "bad-value",
                "无法读取的值：数字过长或格式不对；请检查这个值（需要文字请加引号）",
            ) from None
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a "\ud800" escape: not a character, cannot be stored
                raise invalid(
                    self.file,
                    *pos,
                    "bad-value",
                    "无法读取的值：含有无效的 Unicode 转义（如 \\ud800）；请删除它",
                ) from None
            bad = _VALUE_CONTROL.search(value)
            if bad:
                raise invalid(
                    self.file,
                    *pos,
                    "control-char",
                    f"文本中有控制字符 U+{ord(bad.group()):04X}（来自 \\e、\\x1b 之类的转义）；请删除它",
                )
        return value
