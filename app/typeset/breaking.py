"""Line breaking of one paragraph with QTextLayout, and the measures of each line.

Qt breaks lines by UAX #14, which keeps closing punctuation off line starts and opening punctuation
off line ends, and never splits —— or ……. Each line is measured by its advance (where the next text
would start) and by its ink (the union of its glyphs' outlines), so a caller can keep every stroke
inside a box.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QTextBoundaryFinder
from PySide6.QtGui import QFont, QRawFont, QTextLayout, QTextLine, QTextOption

# Outline boxes are exact, but antialiasing may touch the pixel next to one.
INK_PAD = 1.0
# Trailing spaces do not count towards a line's visible width.
_TRAILING_SPACE = " \t"
# UAX #14 allows a break after a space even before closing punctuation ("茶 ：" → "茶 " | "："), and
# after an opening quote's space. For break-finding only, such spaces become no-break spaces, which
# have the same advance; the user's text itself is never changed.
_NO_BREAK_BEFORE = frozenset("，。、；：？！．,.;:?!")
_NO_BREAK_AFTER = frozenset("“‘")
_NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Ink:
    """A line's ink box relative to its pen origin (x from the line start, y from the baseline)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    advance: float  # width of the visible text, trailing spaces excluded
    ink: Ink | None  # None when the line draws nothing


def _closes(char: str) -> bool:
    return char in _NO_BREAK_BEFORE or unicodedata.category(char) in ("Pe", "Pf")


def _opens(char: str) -> bool:
    return char in _NO_BREAK_AFTER or unicodedata.category(char) in ("Ps", "Pi")


def _text_for_breaking(text: str) -> str:
    """``text`` with the spaces that touch punctuation bound by no-break spaces (same length)."""
    chars = list(text)
    start = 0
    while start < len(chars):
        if chars[start] != " ":
            start += 1
            continue
        end = start
        while end < len(chars) and chars[end] == " ":
            end += 1
        if (end < len(chars) and _closes(chars[end])) or (start > 0 and _opens(chars[start - 1])):
            chars[start:end] = [_NBSP] * (end - start)
        start = end
    return "".join(chars)


def _utf16_to_index(text: str) -> dict[int, int]:
    """Maps QTextLayout's UTF-16 offsets to Python string indices."""
    mapping = {0: 0}
    offset = 0
    for index, char in enumerate(text, start=1):
        offset += 2 if ord(char) > 0xFFFF else 1
        mapping[offset] = index
    return mapping


def _utf16_len(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _x_at(line: QTextLine, position: int) -> float:
    """The x of a cursor position; PySide6 returns it with the position as a pair."""
    result = line.cursorToX(position)
    if isinstance(result, tuple):
        result = result[0]
    if not isinstance(result, int | float):
        raise TypeError(f"unexpected cursorToX result: {result!r}")
    return float(result)


def _line_ink(line: QTextLine) -> Ink | None:
    baseline = line.y() + line.ascent()
    origin_x = line.x()
    box = QRectF()
    for run in line.glyphRuns():
        raw: QRawFont = run.rawFont()
        for glyph, position in zip(run.glyphIndexes(), run.positions(), strict=True):
            rect = raw.boundingRect(glyph)
            if rect.isEmpty():
                continue
            box = box.united(rect.translated(position.x() - origin_x, position.y() - baseline))
    if box.isEmpty():
        return None
    return Ink(
        left=box.left() - INK_PAD,
        top=box.top() - INK_PAD,
        right=box.right() + INK_PAD,
        bottom=box.bottom() + INK_PAD,
    )


def _layout(text: str, font: QFont, mode: QTextOption.WrapMode) -> QTextLayout:
    layout = QTextLayout(_text_for_breaking(text), font)
    option = QTextOption()
    option.setUseDesignMetrics(True)
    option.setWrapMode(mode)
    layout.setTextOption(option)
    return layout


def _measured(text: str, qline: QTextLine, start: int) -> Line:
    """The line of ``text`` that ``qline`` holds, measured; ``start`` is its first UTF-16 offset."""
    visible_end = start + _utf16_len(text.rstrip(_TRAILING_SPACE))
    advance = _x_at(qline, visible_end) - _x_at(qline, start)
    return Line(text=text, advance=advance, ink=_line_ink(qline))


def wrap(text: str, font: QFont, width: float, *, anywhere: bool = False) -> list[Line]:
    """The lines of one paragraph (no "\\n" in it) wrapped at ``width`` pixels.

    With ``anywhere`` False a word wider than ``width`` stays whole and its line is too wide; with
    True such a word is split. An empty paragraph is one empty line. The lines' texts joined give
    back ``text`` exactly.
    """
    mode = (
        QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
        if anywhere
        else QTextOption.WrapMode.WordWrap
    )
    layout = _layout(text, font, mode)
    layout.beginLayout()
    while True:
        qline = layout.createLine()
        if not qline.isValid():
            break
        qline.setLineWidth(width)
    layout.endLayout()
    index = _utf16_to_index(text)
    lines: list[Line] = []
    for number in range(layout.lineCount()):
        qline = layout.lineAt(number)
        start = qline.textStart()
        end = start + qline.textLength()
        lines.append(_measured(text[index[start] : index[end]], qline, start))
    return lines or [Line(text=text, advance=0.0, ink=None)]


def single_line_layout(text: str, font: QFont) -> QTextLayout:
    """``text`` laid out as one line with the options ``wrap`` measures with, ready to draw."""
    layout = _layout(text, font, QTextOption.WrapMode.NoWrap)
    layout.beginLayout()
    line = layout.createLine()
    if line.isValid():
        line.setPosition(QPointF(0.0, 0.0))
    layout.endLayout()
    return layout


def measure(text: str, font: QFont) -> Line:
    """``text`` measured as one line, as ``wrap`` measures its lines."""
    layout = single_line_layout(text, font)
    if layout.lineCount() == 0:
        return Line(text=text, advance=0.0, ink=None)
    return _measured(text, layout.lineAt(0), 0)


def break_opportunities(text: str) -> list[int]:
    """The string indices where a line of the paragraph may start (UAX #14), ``len(text)`` last."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, _text_for_breaking(text))
    index = _utf16_to_index(text)
    positions: list[int] = []
    while True:
        position = finder.toNextBoundary()
        if position < 0:
            break
        if position > 0 and position in index:
            positions.append(index[position])
    if not positions or positions[-1] != len(text):
        positions.append(len(text))
    return positions


def visible_widths(text: str, font: QFont) -> Callable[[int, int], float]:
    """Width of ``text[start:end]`` on one line, trailing spaces excluded (to choose breaks by)."""
    layout = single_line_layout(text, font)
    qline = layout.lineAt(0)
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    xs = [_x_at(qline, offset) for offset in offsets]

    def width(start: int, end: int) -> float:
        visible = start + len(text[start:end].rstrip(_TRAILING_SPACE))
        return xs[visible] - xs[start]

    return width
