"""Choosing a paragraph's line breaks by cost, among the breaks UAX #14 allows.

Qt fills each line as full as it can, which can leave a short last line (a character alone, or
three full lines and a stub). With the line count fixed, a small dynamic programme picks the breaks
instead: balanced lines of near-equal width for headlines, or full lines whose last line is not a
single character for running text. Breaking at a space or after punctuation costs less than
breaking inside a run of letters or ideographs.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Final

from PySide6.QtGui import QFont

from app.typeset.breaking import break_opportunities, visible_widths

# Cost of breaking inside a run (not at a space, not after punctuation), in squared ems.
_INNER_BREAK_COST: Final = 0.25


def is_orphan(text: str) -> bool:
    """A line holding one character, punctuation and spaces aside."""
    letters = [c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")]
    return len(letters) <= 1


def _soft_break(text: str, end: int) -> bool:
    """Whether a line ending at ``end`` ends at a space or after punctuation."""
    last = text[end - 1]
    return last.isspace() or unicodedata.category(last).startswith("P")


def choose_lines(
    text: str, font: QFont, count: int, max_width: float, *, balanced: bool
) -> list[str] | None:
    """The paragraph in at most ``count`` lines no wider than ``max_width``, or None if impossible.

    ``balanced``: lines as equal as possible. Otherwise: lines as full as possible, and a last line
    of more than one character.
    """
    if count < 2:
        return None
    ends = break_opportunities(text)
    width = visible_widths(text, font)
    inner_break = _INNER_BREAK_COST * font.pixelSize() ** 2
    mean = width(0, len(text)) / count

    def line_cost(start: int, end: int, line_width: float, last: bool) -> float:
        if balanced:
            cost = (line_width - mean) ** 2
        elif last:
            cost = math.inf if is_orphan(text[start:end]) else 0.0
        else:
            cost = (max_width - line_width) ** 2
        if not last and not _soft_break(text, end):
            cost += inner_break
        return cost

    # best[e]: the fewest lines, then the lowest cost, that set text[:ends[e]], and the index in
    # ends of the break before the last of those lines (-1: the paragraph's start). Pairs add and
    # compare lexicographically, so the programme stays exact with one dimension.
    final = len(ends) - 1
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
    if result is None or result[0] > count:
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
