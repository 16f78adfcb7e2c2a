"""Read YAML safely into plain data plus a map from each value's path to its position.

Only PyYAML's SafeLoader composer is used (no tags that build objects), and the conversion to
Python data is ours, so that we can:

- remember the line/column of every key and value (errors point at the YAML, not at a model);
- refuse duplicate keys (PyYAML silently keeps the last one);
- bound the work done on hostile input: file size, nesting depth and the number of values
  produced (an alias "billion laughs" bomb expands to far more values than it has characters).

Limits (documented for organizers in docs/reliability.md): a file of at most ``MAX_BYTES``
(:mod:`engine.format.files` reads at most that from disk, and no pipe or device); at most
``MAX_DEPTH`` levels of nesting; at most ``MAX_VALUES`` values after aliases are expanded; no
control characters, neither in the file nor produced by escapes (``"\\e[2J"``); no ``!!binary``;
no YAML merge keys or complex keys.

Speed and safety: events come from libyaml (PyYAML's C parser) when available, else from
PyYAML's pure-Python parser; both are iterative. The tree is built here without recursion and
refused as soon as it nests deeper than ``MAX_DEPTH`` (PyYAML's own composer recurses, and its
C variant can overflow the C stack on ``[[[[...``). Syntax errors are re-parsed with the
pure-Python parser (for files up to ``PY_ERROR_BYTES``) because its messages are clearer.

A valid file of plain data (no anchors, aliases or tags: every real scenario) goes from events
straight to data in one pass (``_load_direct``); anything else, and every error, takes the full
path (``_compose`` then ``yamlnodes.NodeConverter``), which alone words errors, so both give the same result.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from engine.format.problems import ScenarioInvalid
from engine.format.slips import explain_syntax
from engine.format.yamlnodes import MAX_DEPTH, MAX_VALUES, NodeConverter, Path, SourceMap, invalid, invalid_at

MAX_BYTES = 2 * 1024 * 1024
PY_ERROR_BYTES = 256 * 1024

_FastLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters YAML forbids in a stream (tab, newlines and NEL are allowed); found up front so
# the message can name the line and column.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def decode(raw: bytes, file: str) -> str:
    """Bytes to text, with a positioned error for non-UTF-8 input."""
    if len(raw) > MAX_BYTES:
        raise invalid(
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
        raise invalid(
            file,
            line,
            column,
            "not-utf8",
            f"文件不是 UTF-8 编码（第 {exc.start} 字节 0x{raw[exc.start]:02x}）；请用 UTF-8 保存文件",
        ) from None
    return text


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain data and its SourceMap, or raise ScenarioInvalid."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise invalid(file, 1, 1, "file-too-large", f"文件过大：场景文件最大 {MAX_BYTES // 1024} KiB")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise invalid(
            file,
            line,
            column,
            "control-char",
            f"文件中有不允许的控制字符 U+{ord(bad.group()):04X}；请删除它（常见于从网页或文档复制的文本）",
        )
    with paused_gc():
        try:
            smap = SourceMap(file)
            return _load_direct(text, smap), smap
        except (_Unusual, yaml.YAMLError, ScenarioInvalid):
            pass  # anything but plain data, or an error: the full path below words it
    try:
        with paused_gc():
            node = _compose(text, file, _FastLoader)
    except yaml.YAMLError as fast_error:
        error: yaml.YAMLError = fast_error
        if _FastLoader is not yaml.SafeLoader and len(text) <= PY_ERROR_BYTES:
            try:  # the pure-Python parser words its errors better (e.g. it names the tab)
                _compose(text, file, yaml.SafeLoader)
            except yaml.YAMLError as clearer:
                error = clearer
        raise _syntax_error(error, file, text) from None
    smap = SourceMap(file)
    if node is None:
        raise invalid(file, 1, 1, "empty-file", "文件是空的：请从 `python play.py new 名称` 生成的模板开始")
    converter = NodeConverter(file, smap, text)
    with paused_gc():
        return converter.convert(node, (), 0), smap


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a big tree of fresh objects.

    Every few hundred allocations it would rescan the whole growing tree, which makes loading
    super-linear (10k nodes: ~3x slower). What is built is bounded by MAX_VALUES anyway. On
    exit the first allocation triggers one pass over every object built meanwhile that is still
    alive: drop temporaries (and avoid reference cycles) before leaving.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _syntax_error(exc: yaml.YAMLError, file: str, text: str = "") -> ScenarioInvalid:
    what = exc.problem or "" if isinstance(exc, yaml.MarkedYAMLError) else str(exc)
    if "nesting depth" in what:
        # libyaml (PyYAML >= 6.0.3) caps nesting itself, and its scanner reads a run of "[[[["
        # ahead of the parser, so its cap can fire before our composer sees depth MAX_DEPTH.
        # Either limit means the same thing to an organizer.
        mark = exc.problem_mark or exc.context_mark if isinstance(exc, yaml.MarkedYAMLError) else None
        return _too_deep(file, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
    return ScenarioInvalid([explain_syntax(text, file, exc)])


def _too_deep(file: str, line: int, column: int) -> ScenarioInvalid:
    return invalid(file, line, column, "too-deep", f"嵌套过深：最多允许 {MAX_DEPTH} 层；请检查缩进或括号")


def _compose(text: str, file: str, loader: Any) -> yaml.Node | None:
    """Build the node tree from parser events, iteratively, refusing nesting beyond MAX_DEPTH.

    Same tree as ``yaml.compose`` (tags resolved by PyYAML's resolver, anchors shared).
    """
    resolver: Any = yaml.resolver.Resolver()
    anchors: dict[str, yaml.Node] = {}
    stack: list[yaml.Node] = []  # open collections
    pending_key: list[yaml.Node | None] = []  # per open mapping: a key waiting for its value
    root: yaml.Node | None = None
    documents = 0
    nodes = 0

    def attach(node: yaml.Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, yaml.SequenceNode):
            parent.value.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            parent.value.append((pending_key[-1], node))
            pending_key[-1] = None

    def anchor(name: str | None, node: yaml.Node) -> None:
        if name is not None:
            anchors[name] = node

    events: Iterator[Any] = yaml.parse(text, Loader=loader)  # libyaml's marks are untyped
    for event in events:
        kind = type(event)  # not isinstance: keeps ``event`` Any (libyaml's marks are untyped)
        if kind in (ScalarEvent, SequenceStartEvent, MappingStartEvent):
            nodes += 1
            if nodes > MAX_VALUES:
                raise invalid_at(
                    file,
                    event.start_mark,
                    "too-many-values",
                    f"值的数量超过上限 {MAX_VALUES}；请精简场景",
                )
        if kind is ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            node: yaml.Node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            anchor(event.anchor, node)
            attach(node)
        elif kind in (SequenceStartEvent, MappingStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _too_deep(file, event.start_mark.line + 1, event.start_mark.column + 1)
            tag = event.tag
            sequence = kind is SequenceStartEvent
            node_kind = yaml.SequenceNode if sequence else yaml.MappingNode
            if tag is None or tag == "!":
                tag = resolver.resolve(node_kind, None, event.implicit)
            node = node_kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            anchor(event.anchor, node)
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif kind in (SequenceEndEvent, MappingEndEvent):
            closed = stack.pop()
            pending_key.pop()
            closed.end_mark = event.end_mark
        elif kind is AliasEvent:
            target = anchors.get(event.anchor or "")
            if target is None:
                raise yaml.MarkedYAMLError(
                    problem=f"found undefined alias {event.anchor!r}", problem_mark=event.start_mark
                )
            attach(target)
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise yaml.MarkedYAMLError(
                    problem="but found another document", problem_mark=event.start_mark
                )
            anchors.clear()
        elif kind not in (DocumentEndEvent, StreamStartEvent, StreamEndEvent):
            raise yaml.MarkedYAMLError(
                problem=f"unexpected {type(event).__name__}", problem_mark=event.start_mark
            )
    return root


class _Unusual(Exception):
    """Raised by :func:`_load_direct` for input it leaves to ``_compose`` + ``NodeConverter``."""


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _load_direct(text: str, smap: SourceMap) -> Any:
    """Plain data straight from parser events, in one pass: the common case of a valid file.

    Gives exactly what ``NodeConverter`` gives for a ``_compose`` tree, without building and
    then walking that tree (half the objects, and the second walk touched them all again).
    It handles no anchors, aliases, explicit tags, complex or merge keys and no errors: on any
    of those it raises ``_Unusual`` (or the error itself) and the caller starts over on the
    full path, whose messages and positions are the reference.
    """
    table: dict[str | None, list[Any]] = yaml.resolver.Resolver.yaml_implicit_resolvers
    if yaml.resolver.Resolver.yaml_path_resolvers:
        raise _Unusual
    wildcard = table.get(None, [])
    implicit = {first: resolvers + wildcard for first, resolvers in table.items() if first is not None}

    tags: dict[str, str] = {}  # keys and many values repeat: resolve each text once

    def resolve(value: str) -> str:  # yaml.resolver.Resolver.resolve for a plain scalar
        tag = tags.get(value)
        if tag is None:
            tag = next(
                (str(t) for t, regexp in implicit.get(value[:1], wildcard) if regexp.match(value)), _STR_TAG
            )
            tags[value] = tag
        return tag

    converter = NodeConverter(smap.file, smap, text)
    values, keys = smap.values, smap.keys
    # per open collection: [container, its path, mapping: key waiting for its value (else None)]
    stack: list[list[Any]] = []
    root: list[Any] = []
    events = 0
    documents = 0
    parsed: Iterator[Any] = yaml.parse(text, Loader=_FastLoader)  # libyaml's marks are untyped
    for event in parsed:
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            events += 1
            if events > MAX_VALUES or event.anchor is not None or event.tag is not None:
                raise _Unusual
            mark = event.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if not stack:
                path: Path = ()
            else:
                top = stack[-1]
                parent = top[0]
                if top[2] is not None:
                    path = top[2]
                    top[2] = None
                elif type(parent) is list:
                    path = (*top[1], len(parent))
                else:  # a key
                    if kind is not ScalarEvent or event.style == '"':
                        raise _Unusual  # a complex key, or one with escapes (checked on the full path)
                    key = event.value
                    if key in parent or (event.implicit[0] and resolve(key) == _MERGE_TAG):
                        raise _Unusual  # a duplicate or merge key
                    top[2] = key_path = (*top[1], key)
                    keys[key_path] = pos
                    continue
            values[path] = pos
            if kind is ScalarEvent:
                value = event.value
                if event.implicit[0]:
                    tag = resolve(value)
                    if tag != _STR_TAG:
                        node = yaml.ScalarNode(tag, value, mark, event.end_mark, event.style)
                        value = converter.scalar(node)
                elif event.style == '"':  # escapes: checked as the full path does
                    value = converter.scalar(yaml.ScalarNode(_STR_TAG, value, mark, event.end_mark))
                if type(value) is str and mark.line != event.end_mark.line:
                    value = converter.folded(value, event.style, mark, event.end_mark)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _Unusual
                value = {} if kind is MappingStartEvent else []
            if not stack:
                root.append(value)
            elif type(parent) is list:
                parent.append(value)
            else:
                parent[path[-1]] = value
            if kind is not ScalarEvent:
                stack.append([value, path, None])
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unusual
        elif kind not in (DocumentEndEvent, StreamStartEvent, StreamEndEvent):
            raise _Unusual  # an alias
    if not root:
        raise _Unusual  # empty
    return root[0]
