"""Write ``story.ink`` (a branching story about the size of a scenario session) and compile it to
``story.ink.json`` with the npm package inkjs (``inkjs-compiler``), for bench_core's bink run.

    python bench/ink/make_story.py [--inkjs DIR]   # DIR holds node_modules/.bin/inkjs-compiler

Without --inkjs it installs inkjs into a temporary directory with npm (nothing is committed
but story.ink and story.ink.json). The story: 24 scenes; each offers a step forward, a tempting
mistake that costs a point and sends the reader back once (a trap), and from scene 6 on a
choice that only shows when a flag is set; variables count progress and traps.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENES = 24


def story() -> str:
    lines = ["VAR progress = 0", "VAR traps = 0", "VAR alarm = false", "", "-> scene_0", ""]
    for i in range(SCENES):
        nxt = f"scene_{i + 1}" if i + 1 < SCENES else "finale"
        lines += [
            f"=== scene_{i} ===",
            f"第 {i} 幕：筹备工作继续进行。进度 {{progress}}。",
            f"+ [稳妥地推进第 {i} 步]",
            "    ~ progress = progress + 1",
            f"    -> {nxt}",
            f"+ {{not trapped_{i}}} [冒进：第 {i} 步走捷径]",
            "    ~ traps = traps + 1",
            "    ~ alarm = true",
            f"    -> trapped_{i}",
        ]
        if i >= 6:
            lines += [
                "+ {alarm} [先消除隐患]",
                "    ~ alarm = false",
                f"    -> {nxt}",
            ]
        lines += [
            "",
            f"= trapped_{i}",
            "这是一个历史误区：讲解之后，回到原处。",
            f"-> scene_{i}",
            "",
        ]
    lines += ["=== finale ===", "大会开幕。进度 {progress}，误区 {traps}。", "-> END", ""]
    return "\n".join(lines)


def compile_story(inkjs: Path | None) -> Path:
    source = HERE / "story.ink"
    source.write_text(story(), encoding="utf-8")
    target = HERE / "story.ink.json"
    with tempfile.TemporaryDirectory() as tmp:
        if inkjs is None:
            npm = shutil.which("npm")
            if npm is None:
                raise SystemExit("npm not found: install Node.js, or pass --inkjs DIR")
            subprocess.run([npm, "install", "--silent", "--prefix", tmp, "inkjs@2"], check=True)
            inkjs = Path(tmp)
        compiler = inkjs / "node_modules" / ".bin" / "inkjs-compiler"
        subprocess.run([str(compiler), "-o", str(target), str(source)], check=True)
    return target


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inkjs", type=Path, help="a directory where inkjs is already installed")
    print(compile_story(parser.parse_args().inkjs))
