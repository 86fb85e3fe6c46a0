"""Where to read a large image: the blocks' boxes, else overlapping tiles; and how the pieces join.

The OCR engine shrinks an image whose long side is over ``MAX_SIDE`` before it reads it, and small
text does not survive that. A large image is therefore read by regions: the spec's block boxes
(scaled to pixels, padded, overlapping ones merged) when it has them, else the whole image. A
region still over ``MAX_SIDE`` is read twice: once shrunk, for large characters, and once in
overlapping tiles at full resolution, for small ones. Each character read in a tile is kept only
when its centre lies in the tile's core (the tile minus half of each overlap), so a character
cut by a tile's edge is always read whole by its neighbour and never twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from app.core.fidelity import PixelBox, ReadLine
from app.core.spec import Box

MAX_SIDE: Final = 2000
TILE_OVERLAP: Final = 256
LARGE_TEXT: Final = TILE_OVERLAP // 2
"""Characters at least this tall (pixels) are taken from the shrunk read, smaller ones from tiles.
Tiles read a character whole when it is at most ``TILE_OVERLAP`` wide."""
_PAD_RATIO: Final = 0.25
_PAD_MIN: Final = 48


@dataclass(frozen=True, slots=True)
class Tile:
    """A piece of a region to read (``box``), and the part of it whose characters count."""

    box: PixelBox
    core: PixelBox


def _clip(box: tuple[float, float, float, float], width: int, height: int) -> PixelBox:
    left = max(0, math.floor(box[0]))
    top = max(0, math.floor(box[1]))
    right = min(width, math.ceil(box[0] + box[2]))
    bottom = min(height, math.ceil(box[1] + box[3]))
    return (left, top, max(0, right - left), max(0, bottom - top))


def _intersects(a: PixelBox, b: PixelBox) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def union_box(boxes: Iterable[PixelBox]) -> PixelBox:
    items = list(boxes)
    left = min(box[0] for box in items)
    top = min(box[1] for box in items)
    right = max(box[0] + box[2] for box in items)
    bottom = max(box[1] + box[3] for box in items)
    return (left, top, right - left, bottom - top)


def block_regions(boxes: Sequence[Box], width: int, height: int) -> list[PixelBox]:
    """The blocks' boxes in pixels, padded (a model puts text near, not exactly in, its box), with
    overlapping ones merged so no text is read twice."""
    regions: list[PixelBox] = []
    for x, y, w, h in boxes:
        px, py, pw, ph = x * width, y * height, w * width, h * height
        pad = max(_PAD_MIN, _PAD_RATIO * min(pw, ph))
        region = _clip((px - pad, py - pad, pw + 2 * pad, ph + 2 * pad), width, height)
        if region[2] and region[3]:
            regions.append(region)
    merged = True
    while merged:
        merged = False
        for i, first in enumerate(regions):
            for j in range(i + 1, len(regions)):
                if _intersects(first, regions[j]):
                    regions[i] = union_box((first, regions.pop(j)))
                    merged = True
                    break
            if merged:
                break
    return regions


def _spans(length: int) -> list[tuple[int, int, int, int]]:
    """Tiles along one side: (start, end, core start, core end)."""
    count = max(1, math.ceil((length - TILE_OVERLAP) / (MAX_SIDE - TILE_OVERLAP)))
    size = math.ceil((length + TILE_OVERLAP * (count - 1)) / count)
    starts = [min(length - size, index * (size - TILE_OVERLAP)) for index in range(count)]
    spans: list[tuple[int, int, int, int]] = []
    for index, start in enumerate(starts):
        end = start + size
        core_start = 0 if index == 0 else (start + starts[index - 1] + size) // 2
        core_end = length if index == count - 1 else (end + starts[index + 1]) // 2
        spans.append((start, end, core_start, core_end))
    return spans


def tiles(region: PixelBox) -> list[Tile]:
    """Overlapping tiles, none with a side over ``MAX_SIDE``, covering ``region``; their cores
    cover it exactly once."""
    x, y, width, height = region
    result: list[Tile] = []
    for top, bottom, core_top, core_bottom in _spans(height):
        for left, right, core_left, core_right in _spans(width):
            result.append(
                Tile(
                    box=(x + left, y + top, right - left, bottom - top),
                    core=(
                        x + core_left,
                        y + core_top,
                        core_right - core_left,
                        core_bottom - core_top,
                    ),
                )
            )
    return result


def text_size(line: ReadLine) -> int:
    """How tall the line's characters are (a column's width)."""
    return line.box[2] if line.vertical else line.box[3]


def _centre_in(box: PixelBox, area: PixelBox) -> bool:
    centre_x = box[0] + box[2] / 2
    centre_y = box[1] + box[3] / 2
    return area[0] <= centre_x < area[0] + area[2] and area[1] <= centre_y < area[1] + area[3]


@dataclass(slots=True)
class _Piece:
    chars: list[tuple[str, PixelBox]]
    score: float

    @property
    def box(self) -> PixelBox:
        return union_box(box for _char, box in self.chars)


def core_pieces(lines: Iterable[ReadLine], core: PixelBox) -> list[ReadLine]:
    """The characters of a tile's lines whose centres are in its core, as lines."""
    pieces: list[ReadLine] = []
    for line in lines:
        kept = [
            (char, line.char_box(index))
            for index, char in enumerate(line.text)
            if _centre_in(line.char_box(index), core)
        ]
        if kept:
            boxes = tuple(box for _char, box in kept)
            text = "".join(char for char, _box in kept)
            pieces.append(ReadLine(text, union_box(boxes), line.score, boxes))
    return pieces


def join_pieces(pieces: Sequence[ReadLine]) -> list[ReadLine]:
    """Pieces of one line cut by tile edges, joined again: horizontal pieces on the same row that
    touch or nearly touch become one line, left to right."""
    groups: list[_Piece] = []
    for piece in sorted(pieces, key=lambda item: (item.box[0], item.box[1])):
        chars = [(char, piece.char_box(index)) for index, char in enumerate(piece.text)]
        for group in groups:
            gx, gy, gw, gh = group.box
            x, y, _w, h = piece.box
            shared = min(gy + gh, y + h) - max(gy, y)
            gap = x - (gx + gw)
            if (
                not piece.vertical
                and shared >= 0.5 * min(gh, h)
                and -0.5 * h <= gap <= 1.5 * max(gh, h)
            ):
                group.chars += chars
                group.score = min(group.score, piece.score)
                break
        else:
            groups.append(_Piece(chars, piece.score))
    joined: list[ReadLine] = []
    for group in groups:
        boxes = tuple(box for _char, box in group.chars)
        text = "".join(char for char, _box in group.chars)
        joined.append(ReadLine(text, group.box, group.score, boxes))
    return joined


def _column_like(line: ReadLine) -> bool:
    _x, _y, w, h = line.box
    return line.vertical or (len(line.text.strip()) == 1 and 0.6 * w <= h <= 1.6 * w)


def column_groups(lines: Sequence[ReadLine]) -> tuple[list[list[ReadLine]], list[ReadLine]]:
    """Lines that make columns of vertical text (a tall line, or pieces and single glyphs stacked
    one under the other), and the other lines."""
    groups: list[list[ReadLine]] = []
    others: list[ReadLine] = []
    for line in sorted(lines, key=lambda item: item.box[1]):
        if not _column_like(line):
            others.append(line)
            continue
        x, y, w, _h = line.box
        for group in groups:
            gx, gy, gw, gh = union_box(item.box for item in group)
            shared = min(gx + gw, x + w) - max(gx, x)
            gap = y - (gy + gh)
            if shared >= 0.5 * min(gw, w) and gap <= 0.5 * max(gw, w):
                group.append(line)
                break
        else:
            groups.append([line])
    columns: list[list[ReadLine]] = []
    for group in groups:
        if len(group) > 1 or group[0].vertical:
            columns.append(group)
        else:
            others += group
    return columns, others
