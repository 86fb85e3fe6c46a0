"""Exact-text compositing: the typeset text layer over a text-free background.

The text is exact by construction: the model draws only the scene, the typesetter sets the
words. Changing a text or a box only re-runs ``compose`` on the kept background, with no request.
Each block takes dark or light text by what lies under its box, unless it has its own colour.
The flat image is Pillow's ``alpha_composite`` of the background and the text layer, so a
layered file's layers give back exactly the flat image.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageStat
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from app.core.spec import TextBlock
from app.typeset.layout import BlockLayout, PixelBox, layout_blocks
from app.typeset.render import Palette, draw_layouts, palette_for_background

_MAX_LAYER_NAME = 30
_SAMPLE_CELLS = 16  # a block's background is averaged over about this many cells a side


@dataclass(frozen=True, slots=True)
class BlockLayer:
    """One block's text alone: its pixels cropped to where it has ink, and where they go."""

    name: str  # "ROLE: TEXT", the text cut at 30 characters
    role: str
    box: PixelBox  # the block's box on the canvas
    image: Image.Image  # RGBA, straight alpha
    offset: tuple[int, int]  # left, top of ``image`` on the canvas


@dataclass(frozen=True, slots=True)
class Composition:
    background: Image.Image  # RGBA
    flat: Image.Image  # background with the text layer over it, RGBA
    layouts: tuple[BlockLayout, ...]
    pieces: tuple[tuple[Image.Image, tuple[int, int]], ...]
    """The text layer where it has ink: RGBA images and where they go; transparent elsewhere."""

    @property
    def text(self) -> Image.Image:
        """Every block on one transparent layer the size of the background, RGBA."""
        layer = Image.new("RGBA", self.background.size, (0, 0, 0, 0))
        for image, offset in self.pieces:
            layer.paste(image, offset)
        return layer


def layer_name(block: TextBlock | BlockLayout) -> str:
    """``ROLE: TEXT``, the text on one line and cut at 30 characters."""
    text = " ".join(block.text.split())
    return f"{block.role}: {text[:_MAX_LAYER_NAME]}"


def to_pil(image: QImage) -> Image.Image:
    """A QImage as an RGBA Pillow image (straight alpha)."""
    if image.format() == QImage.Format.Format_ARGB32_Premultiplied and sys.byteorder == "little":
        # Pillow reads the premultiplied BGRA bytes and unpremultiplies them itself, in one
        # pass: twice as fast as Qt's conversion followed by a copy (bench_typeset.py).
        view = memoryview(image.constBits())[: image.sizeInBytes()]
        size = (image.width(), image.height())
        return Image.frombuffer("RGBA", size, view, "raw", "BGRa", image.bytesPerLine(), 1)  # type: ignore[arg-type]
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    view = memoryview(rgba.constBits())[: rgba.sizeInBytes()]
    size = (rgba.width(), rgba.height())
    # One copy: Pillow's own buffer, independent of the QImage that goes away.
    line = rgba.bytesPerLine()
    return Image.frombuffer("RGBA", size, view, "raw", "RGBA", line, 1).copy()  # type: ignore[arg-type]


def _mean_rgb(background: Image.Image, box: PixelBox) -> tuple[int, int, int]:
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return (255, 255, 255)
    # Sampled on a grid: the average of a few hundred points is enough to choose dark or light.
    cells = (min(w, _SAMPLE_CELLS), min(h, _SAMPLE_CELLS))
    patch = background.resize(cells, Image.Resampling.NEAREST, box=(x, y, x + w, y + h))
    red, green, blue, alpha = (value / 255 for value in ImageStat.Stat(patch).mean[:4])
    # Over white, as a transparent background is shown.
    over_white = [round(255 * (c * alpha + 1 - alpha)) for c in (red, green, blue)]
    return (over_white[0], over_white[1], over_white[2])


def palettes_for(background: Image.Image, layouts: Sequence[BlockLayout]) -> list[Palette]:
    """Per block: dark or light text, whichever contrasts more with the background in its box."""
    return [palette_for_background(_mean_rgb(background, layout.box)) for layout in layouts]


def _reach(layout: BlockLayout) -> int:
    """How far past its line boxes a block may put ink: outline overhang, stroke and shadow."""
    em = 0.25
    if layout.stroke is not None:
        em += layout.stroke.width
    if layout.shadow is not None:
        shadow = layout.shadow
        em += max(abs(shadow.x), abs(shadow.y)) + 2 * shadow.blur
    return math.ceil(em * layout.font_px) + 2


def _inked_areas(layouts: Sequence[BlockLayout], size: tuple[int, int]) -> list[PixelBox]:
    """Where the blocks can put ink, as rectangles that do not overlap (overlaps are merged)."""
    areas: list[tuple[int, int, int, int]] = []  # left, top, right, bottom
    for layout in layouts:
        reach = _reach(layout)
        boxes = [layout.box, *layout.line_boxes]
        left = max(0, min(b[0] for b in boxes) - reach)
        top = max(0, min(b[1] for b in boxes) - reach)
        right = min(size[0], max(b[0] + b[2] for b in boxes) + reach)
        bottom = min(size[1], max(b[1] + b[3] for b in boxes) + reach)
        if right > left and bottom > top:
            areas.append((left, top, right, bottom))
    merged = True
    while merged:  # merge until no two rectangles overlap: a handful of blocks, so few passes
        merged = False
        for i, j in itertools.combinations(range(len(areas)), 2):
            a, b = areas[i], areas[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                areas[i] = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
                del areas[j]
                merged = True
                break
    return [(left, top, right - left, bottom - top) for left, top, right, bottom in areas]


def _draw(layouts: Sequence[BlockLayout], palettes: Sequence[Palette], area: PixelBox) -> QImage:
    """The blocks drawn on a transparent image covering ``area`` of the canvas."""
    x, y, w, h = area
    image = QImage(max(1, w), max(1, h), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.translate(-x, -y)
        for layout, palette in zip(layouts, palettes, strict=True):
            draw_layouts(painter, [layout], palette=palette)
    finally:
        painter.end()
    return image


def compose(background: Image.Image, blocks: Sequence[TextBlock]) -> Composition:
    """The blocks set over ``background`` (their boxes scaled to its size).

    Only the areas the blocks can ink are drawn and composited: where the text layer is
    transparent, ``alpha_composite`` keeps the background's pixels as they are, so the result is
    the same as compositing a whole-canvas layer, in a fraction of the time.
    """
    base = background if background.mode == "RGBA" else background.convert("RGBA")
    layouts = tuple(layout_blocks(blocks, *base.size))
    palettes = palettes_for(base, layouts)
    flat = base.copy()
    pieces = []
    for area in _inked_areas(layouts, base.size):
        piece = to_pil(_draw(layouts, palettes, area))
        flat.alpha_composite(piece, area[:2])
        pieces.append((piece, (area[0], area[1])))
    return Composition(base, flat, layouts, tuple(pieces))


def block_layers(composition: Composition) -> list[BlockLayer]:
    """Each block on its own layer, cropped to its ink, in the blocks' order."""
    palettes = palettes_for(composition.background, composition.layouts)
    layers = []
    for layout, palette in zip(composition.layouts, palettes, strict=True):
        width, height = composition.background.size
        alone = to_pil(_draw([layout], [palette], (0, 0, width, height)))
        bounds = alone.getchannel("A").getbbox() or (0, 0, 1, 1)
        layers.append(
            BlockLayer(
                name=layer_name(layout),
                role=layout.role,
                box=layout.box,
                image=alone.crop(bounds),
                offset=(bounds[0], bounds[1]),
            )
        )
    return layers
