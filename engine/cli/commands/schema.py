"""``schema -o FILE``: the scenario format as JSON Schema, for editor completion and inline errors.

Scenario files point at it with a first line such as
``# yaml-language-server: $schema=../scenario.schema.json`` (VS Code's YAML extension).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from engine.cli.commands._common import CommandError, run
from engine.format.model import ScenarioFile

NAME = "schema"
ORDER = 24
HELP = "生成场景格式的 JSON Schema（编辑器补全和即时报错）/ write the scenario JSON Schema"


def scenario_schema() -> dict[str, Any]:
    schema = ScenarioFile.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://qingjing.invalid/scenario.schema.json",
        "title": "Qingjing scenario / 情景场景文件",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(scenario_schema(), ensure_ascii=False, indent=2) + "\n"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        default="scenario.schema.json",
        metavar="FILE",
        help="输出文件（默认 scenario.schema.json）",
    )
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    out = Path(args.output)
    try:
        out.write_text(schema_text(), encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请检查路径和权限") from None
    print(
        f"已写入 {out}。在场景文件第一行加上：# yaml-language-server: $schema={out.name}（路径相对于场景文件）"
    )
    return 0
