"""PyYAML's and libyaml's syntax messages in plain Chinese, each with what to do.

    translate(problem, context, char, context_line) -> str

``problem``/``context`` are the parser's English words (the pure-Python parser and libyaml word
the same errors differently; both are covered), ``char`` the character at the error and
``context_line`` the line where the construct began (0 when unknown). Whatever the parser says,
the result is Chinese: an unknown message gets the general advice, never the English text.
"""

from __future__ import annotations

import re

_TAB = "YAML 不允许用制表符（Tab）缩进或分隔；请把它换成空格"
_QUOTE_IT = '请把整段文字用英文引号括起来（"…"）'


def _reserved(char: str) -> str:
    shown = {"\t": "制表符（Tab）"}.get(char, f"“{char}”" if char.strip() else "这个字符")
    return f"值不能以 {shown} 开头（YAML 把它留作特殊用途）；如果这是一段文字，{_QUOTE_IT}"


def translate(problem: str, context: str, char: str = "", context_line: int = 0) -> str:
    """The Chinese message for a parser error (see the module docstring)."""
    p = problem.lower()
    c = context.lower()
    since = f"第 {context_line} 行" if context_line else "前面"
    if "\\t" in p or "'\t'" in p or ("tab" in p and "table" not in p) or char == "\t":
        return _TAB
    if "nesting depth" in p:
        return "嵌套过深；请检查缩进或括号"
    if "could not find expected ':'" in p:
        return (
            "这一行缺少冒号：字段要写成 “名称: 值”（英文冒号，后面加一个空格）；"
            "如果它是上一行文字的延续，请把文字写在同一行，或用 >- 写成多行文字"
        )
    if "mapping values are not allowed" in p:
        return (
            "这里的“: ”（英文冒号加空格）让 YAML 以为开始了一个新的字段。"
            f"如果这是一段文字，{_QUOTE_IT}，或改用中文冒号“：”；如果它确实是一个字段，请检查它的缩进"
        )
    if "sequence entries are not allowed" in p:
        return (
            "这里不能开始一个列表：“- ” 开头的列表项要另起一行，并比上面的字段名多缩进；"
            f"如果 “-” 是文字的一部分，{_QUOTE_IT}"
        )
    if "unexpected end of stream" in p and "quoted" in c:
        return f"引号没有闭合：{since}开始的引号直到文件末尾都没有结束；请补上另一半引号（英文引号）"
    if "unknown escape character" in p:
        return "双引号里的反斜杠 “\\” 后面不能跟这个字符；要写反斜杠本身请写成 “\\\\”，或改用单引号 '…'"
    if "escape" in p:
        return "双引号里的转义写法不对（如 “\\x”、“\\u” 后面的位数不够）；不需要转义时请改用单引号 '…'"
    if "cannot start any token" in p:
        m = re.search(r"found character '(.)'", problem)
        return _reserved(m.group(1) if m else char)
    if "alphabetic or numeric character" in p:
        if "alias" not in c and "anchor" not in c:
            return _reserved(char)
        mark = "*" if "alias" in c else "&"
        return f"值不能以 “{mark}” 开头（YAML 用它表示引用）；如果这是一段文字，{_QUOTE_IT}"
    if "undefined alias" in p:
        m = re.search(r"alias '?([^'\s]*)", problem)
        name = m.group(1) if m else ""
        return f"引用了没有定义的锚点 “*{name}”；请删除 “*”，或先用 “&{name}” 定义它"
    if "',' or ']'" in p:
        return f"方括号列表 [ … ] 没有写对（{since}开始）：缺少 “]”，或各项之间要用英文逗号 “,” 分隔"
    if "',' or '}'" in p:
        return f"花括号 {{ … }} 没有写对（{since}开始）：缺少 “}}”，或各项之间要用英文逗号 “,” 分隔"
    if "block scalar" in c or "chomping" in p:
        return "“|” 或 “>-” 后面要直接换行：文字从下一行开始写，并比字段名多缩进"
    if "another document" in p or "document separator" in p:
        return "文件里出现了第二个文档（“---” 或 “...” 分隔）；一个场景文件只能有一个：请删掉分隔线，或拆成两个文件"
    if "directive" in p or "document start" in p:
        return "以 “%” 开头的行不是场景内容；请删除这一行，或在行首加 # 变成注释"
    if "incompatible yaml document" in p or "yaml version" in p:
        return "不支持的 YAML 版本声明（%YAML）；请删除这一行"
    if "node content" in p:
        return "这里缺少值，或多了一个 “]” / “}”；请检查括号是否成对"
    if "<block end>" in p or "expected key" in p or "'-' indicator" in p:
        return "这一行和上面对不齐：同一层的字段要左对齐，列表项的 “-” 也要对齐；请检查这一行的缩进"
    if "tag" in p:
        return "不支持的 YAML 标签（以 “!” 开头）；请去掉它"
    if "unexpected" in p and "event" in p:
        return "不支持的 YAML 写法；请用普通的 “名称: 值” 和 “- ” 列表"
    return "YAML 格式错误：请检查这一行及上一行的缩进、冒号（英文冒号加空格）、引号和括号是否成对"


def trailing_text() -> str:
    """For a value followed by more text on its line (``a: 'x' y``, ``a: {x: 1} y``)."""
    return f"这个值后面多了内容：引号或括号结束后，同一行不能再写别的文字；如果这些都是一段文字，{_QUOTE_IT}"
