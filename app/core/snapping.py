"""Snapping a text box on the layout board to the lines a designer aligns things to.

Everything is in fractions of the canvas (as the spec's boxes are): the canvas edges, its safe
margins, its thirds and its centre lines, and the edges and centres of the other boxes. A moved
box snaps by its left edge, centre or right edge (top, middle, bottom); a resized box by the
edges being dragged. Each axis snaps to the nearest line within its threshold, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from app.core.spec import Box

SAFE_MARGIN: Final = 0.05
"""The safe margin inside each edge, as a fraction of that side."""
MIN_SIZE: Final = 0.02
"""The smallest width or height a box can be resized to."""

Axis = Literal["x", "y"]


@dataclass(frozen=True, slots=True)
class Guide:
    """A line the box snapped to: vertical at ``x = at`` or horizontal at ``y = at``."""

    axis: Axis
    at: float


@dataclass(frozen=True, slots=True)
class Snapped:
    box: Box
    guides: tuple[Guide, ...]


def canvas_lines() -> tuple[float, ...]:
    """Edges, safe margins, thirds and the centre line, along either axis."""
    return (0.0, SAFE_MARGIN, 1 / 3, 0.5, 2 / 3, 1 - SAFE_MARGIN, 1.0)


def _box_lines(others: Iterable[Box], axis: Axis) -> list[float]:
    lines: list[float] = []
    for x, y, w, h in others:
        start, size = (x, w) if axis == "x" else (y, h)
        lines += [start, start + size / 2, start + size]
    return lines


def _nearest(
    points: Sequence[float], lines: Sequence[float], threshold: float
) -> tuple[float, float] | None:
    """(shift, line): the smallest shift that puts one of ``points`` on one of ``lines``."""
    best: tuple[float, float] | None = None
    for point in points:
        for line in lines:
            shift = line - point
            if abs(shift) <= threshold and (best is None or abs(shift) < abs(best[0])):
                best = (shift, line)
    return best


def _clamp_move(box: Box) -> Box:
    x, y, w, h = box
    w, h = min(w, 1.0), min(h, 1.0)
    return (min(max(x, 0.0), 1.0 - w), min(max(y, 0.0), 1.0 - h), w, h)


def snap_move(box: Box, others: Iterable[Box], threshold: tuple[float, float]) -> Snapped:
    """``box`` moved (kept inside the canvas), snapped by its edges or centre on each axis."""
    others = list(others)
    x, y, w, h = _clamp_move(box)
    guides: list[Guide] = []
    found = _nearest((x, x + w / 2, x + w), [*canvas_lines(), *_box_lines(others, "x")],
                     threshold[0])  # fmt: skip
    if found is not None:
        x += found[0]
        guides.append(Guide("x", found[1]))
    found = _nearest((y, y + h / 2, y + h), [*canvas_lines(), *_box_lines(others, "y")],
                     threshold[1])  # fmt: skip
    if found is not None:
        y += found[0]
        guides.append(Guide("y", found[1]))
    return Snapped(_clamp_move((x, y, w, h)), tuple(guides))


Edges = frozenset[str]
"""Which edges a resize drags: a subset of left, top, right, bottom."""


def snap_resize(
    box: Box, edges: Edges, others: Iterable[Box], threshold: tuple[float, float]
) -> Snapped:
    """``box`` with the dragged ``edges`` snapped to the nearest lines, inside the canvas and
    never smaller than ``MIN_SIZE``."""
    others = list(others)
    sides = {"left": box[0], "top": box[1], "right": box[0] + box[2], "bottom": box[1] + box[3]}
    lines = {
        "x": [*canvas_lines(), *_box_lines(others, "x")],
        "y": [*canvas_lines(), *_box_lines(others, "y")],
    }
    guides: list[Guide] = []
    for edge in sorted(edges):
        axis: Axis = "x" if edge in ("left", "right") else "y"
        found = _nearest((sides[edge],), lines[axis], threshold[0 if axis == "x" else 1])
        if found is not None:
            sides[edge] = found[1]
            guides.append(Guide(axis, found[1]))
    left = min(max(sides["left"], 0.0), sides["right"] - MIN_SIZE)
    top = min(max(sides["top"], 0.0), sides["bottom"] - MIN_SIZE)
    right = max(min(sides["right"], 1.0), left + MIN_SIZE)
    bottom = max(min(sides["bottom"], 1.0), top + MIN_SIZE)
    return Snapped((left, top, right - left, bottom - top), tuple(guides))
