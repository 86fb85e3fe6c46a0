"""Vertical text (竖排): columns from right to left, CJK upright with ``vert``, Latin rotated.

Each CJK character or punctuation mark takes one square cell and is drawn upright with the
font's ``vert`` feature (which gives the vertical forms of ，。「」 and the rest); a run of Latin
letters or digits is drawn rotated a quarter turn clockwise and takes its own length. Columns are
broken with the same rules as lines (words whole, kinsoku, no lone last character), measured
along the column: the horizontal fitter runs with the area turned a quarter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QFont

from app.typeset.breaking import Line, measure
from app.typeset.fitting import Fitter, PixelBox, Setting

# Runs drawn rotated: Latin letters and digits, with the punctuation and spaces inside them.
_ROTATED_RUN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,:/'’%+\-]*[A-Za-z0-9%]|[A-Za-z0-9]")
_SPACE_CELL: Final = 0.5  # a space between CJK characters, in ems
VERT: Final = QFont.Tag("vert")


@dataclass(frozen=True, slots=True)
class Cell:
    """One upright character or one rotated run, placed on a column."""

    text: str
    centre_x: float  # the column's axis
    top: float
    length: float  # along the column
    upright: bool


@dataclass(frozen=True, slots=True)
class VerticalSetting:
    cells: tuple[Cell, ...]
    column_pitch: int
    centre_ratio: float  # the ideographic centre above the baseline, as a part of the size


def rotated_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` drawn rotated."""
    return [match.span() for match in _ROTATED_RUN.finditer(text)]


class VerticalFitter(Fitter):
    """The fitter with lines as columns: ``area`` is given turned (w = column length)."""

    wraps_anywhere = False

    def _inside_runs(self, number: int) -> set[int]:
        text = self.paragraphs[number]
        return {i for start, end in rotated_runs(text) for i in range(start + 1, end)}

    def ends(self, number: int, words: bool) -> list[int]:
        inside = self._inside_runs(number)
        return [end for end in super().ends(number, words) if end not in inside]

    def all_ends(self, number: int) -> list[int]:
        inside = self._inside_runs(number)
        return [end for end in super().all_ends(number) if end not in inside]

    def lengths(self, text: str, font: QFont, px: int) -> list[float]:
        """Each character's length along the column (a rotated run's on its first character)."""
        step = px * (1 + self.measure.tracking)
        lengths = [0.0 if char.isspace() else step for char in text]
        for index, char in enumerate(text):
            if char == " ":
                lengths[index] = px * _SPACE_CELL
        for start, end in rotated_runs(text):
            run = measure(text[start:end], font).advance + self.measure.tracking * px
            lengths[start:end] = [run] + [0.0] * (end - start - 1)
        return lengths

    def _widths(self, text: str, font: QFont, px: int) -> Callable[[int, int], float]:
        prefix = [0.0]
        for length in self.lengths(text, font, px):
            prefix.append(prefix[-1] + length)

        def width(start: int, end: int) -> float:
            while end > start and text[end - 1] == " ":
                end -= 1
            return prefix[end] - prefix[start]

        return width

    def _measured(self, text: str, font: QFont, px: int) -> Line:
        return Line(text=text, advance=self._widths(text, font, px)(0, len(text)), ink=None)

    def exact(self, setting: Setting) -> Setting | None:
        return setting  # columns are measured at their own size already


def place_columns(
    fitter: VerticalFitter, columns: list[str], px: int, pitch: int, box: PixelBox, align: str
) -> tuple[list[Cell], list[PixelBox]]:
    """The cells of every column, right to left, and each column's box.

    The columns are centred across the box; ``align`` places each along it: "left" at the top,
    "right" at the bottom, "center" in the middle.
    """
    x, y, w, h = box
    font = fitter.font(px)
    right = x + (w + len(columns) * pitch) / 2
    cells: list[Cell] = []
    column_boxes: list[PixelBox] = []
    for number, column in enumerate(columns):
        centre = right - (number + 0.5) * pitch
        lengths = fitter.lengths(column, font, px)
        total = fitter._widths(column, font, px)(0, len(column))
        top = {"left": float(y), "right": y + h - total}.get(align, y + (h - total) / 2)
        column_boxes.append((round(centre - pitch / 2), round(top), pitch, round(total)))
        runs = dict(rotated_runs(column))
        index = 0
        while index < len(column):
            end = runs.get(index, index + 1)
            if not column[index].isspace():
                cells.append(
                    Cell(column[index:end], centre, top, lengths[index], upright=end == index + 1)
                )
            top += lengths[index]
            index = end
    return cells, column_boxes


def turned(area: PixelBox) -> PixelBox:
    """The area with its sides swapped: a column's length runs along the fitter's width."""
    x, y, w, h = area
    return (x, y, h, w)
