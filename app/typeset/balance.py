"""Choosing a paragraph's line breaks by cost, among the breaks a caller allows.

The caller gives the places a line may start: UAX #14's (kinsoku kept), or only those between
words for headlines. A small dynamic programme then finds the fewest lines no wider than the
measure, and among those the cheapest: balanced lines of near-equal width for headlines, or full
lines for running text; a last line of a single character is refused unless the caller allows it.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence


def is_orphan(text: str) -> bool:
    """A line holding one character, punctuation and spaces aside."""
    letters = [c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")]
    return len(letters) <= 1


def choose_lines(
    text: str,
    ends: Sequence[int],
    width: Callable[[int, int], float],
    max_width: float,
    *,
    balanced: bool,
    allow_orphan: bool = False,
) -> list[str] | None:
    """The paragraph in the fewest lines no wider than ``max_width``, or None if impossible.

    ``ends``: the indices where a line may end, ascending, ``len(text)`` last. ``width(start,
    end)``: the visible width of ``text[start:end]`` on one line. ``balanced``: lines as equal as
    possible; otherwise as full as possible. Unless ``allow_orphan``, a paragraph of more than one
    line never ends with a line of one character.
    """
    lines = _cheapest(text, ends, width, max_width, None, balanced, allow_orphan)
    if lines is None or len(lines) < 2 or not balanced:
        return lines
    # Balancing needs the line count: the fewest lines, found by the first pass.
    return _cheapest(text, ends, width, max_width, len(lines), balanced, allow_orphan) or lines


def _cheapest(
    text: str,
    ends: Sequence[int],
    width: Callable[[int, int], float],
    max_width: float,
    count: int | None,
    balanced: bool,
    allow_orphan: bool,
) -> list[str] | None:
    mean = width(0, len(text)) / count if count else 0.0
    final = len(ends) - 1

    def line_cost(start: int, end: int, line_width: float, last: bool) -> float:
        if last:
            if start > 0 and not allow_orphan and is_orphan(text[start:end]):
                return math.inf
            return (line_width - mean) ** 2 if balanced and count else 0.0
        if balanced:
            return (line_width - mean) ** 2 if count else 0.0
        return (max_width - line_width) ** 2

    # best[e]: the fewest lines, then the lowest cost, that set text[:ends[e]], and the index in
    # ends of the break before the last of those lines (-1: the paragraph's start). Pairs add and
    # compare lexicographically, so the programme stays exact with one dimension.
    best: list[tuple[int, float, int] | None] = [None] * len(ends)
    for e, end in enumerate(ends):
        for s in range(e - 1, -2, -1):
            start = ends[s] if s >= 0 else 0
            line_width = width(start, end)
            if line_width > max_width:
                break  # lines only get wider as they start earlier
            before = best[s] if s >= 0 else (0, 0.0, -1)
            if before is None:
                continue
            cost = before[1] + line_cost(start, end, line_width, e == final)
            current = best[e]
            if cost < math.inf and (current is None or (before[0] + 1, cost) < current[:2]):
                best[e] = (before[0] + 1, cost, s)
    result = best[final]
    if result is None or (count is not None and result[0] > count):
        return None
    lines: list[str] = []
    e = final
    while e >= 0:
        entry = best[e]
        assert entry is not None
        s = entry[2]
        lines.append(text[ends[s] if s >= 0 else 0 : ends[e]])
        e = s
    lines.reverse()
    return lines
