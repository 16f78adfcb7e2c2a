"""A "did you mean" for an unknown id (``difflib.get_close_matches`` is enough), kept cheap
for scenarios with thousands of ids by :class:`NameIndex`."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable


def suggest(name: str, options: Iterable[str], index: NameIndex | None = None) -> str:
    """A "did you mean" tail for an unknown id, or a list of what exists."""
    options = list(options)
    pool = index.near(name) if index is not None else options
    guess = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if guess:
        return f"；是不是 “{guess[0]}”？"
    if not options:
        return "；目前还没有任何可用的 id"
    shown = "、".join(options[:8]) + ("…" if len(options) > 8 else "")
    return f"；可用的有：{shown}"


class NameIndex:
    """Many ids, indexed by the letter pairs they contain, so a "did you mean" compares a name
    with the few dozen ids that share most pairs with it instead of with every id (an id close
    enough to suggest shares most of its pairs)."""

    BIG = 200  # fewer ids than this: compare with all of them, as difflib alone does
    POOL = 40

    def __init__(self, options: Iterable[str]) -> None:
        self.options = list(options)
        self.pairs: dict[str, list[int]] = {}
        for i, option in enumerate(self.options):
            for pair in {option[k : k + 2] for k in range(len(option) - 1)}:
                self.pairs.setdefault(pair, []).append(i)

    def near(self, name: str) -> list[str]:
        counts: Counter[int] = Counter()
        for pair in {name[k : k + 2] for k in range(len(name) - 1)}:
            counts.update(self.pairs.get(pair, ()))
        return [self.options[i] for i, _ in counts.most_common(self.POOL)]
