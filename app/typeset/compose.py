"""Exact-text compositing: the typeset text layer over a text-free background.

The text is exact by construction: the model draws only the scene, the typesetter sets the
words. Changing a text or a box only re-runs ``compose`` on the kept background, with no request.
Each block takes dark or light text by what lies under its box, unless it has its own colour.
The flat image is Pillow's ``alpha_composite`` of the background and the text layer, so a
layered file's layers give back exactly the flat image.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter

from app.core.spec import TextBlock
from app.typeset.layout import BlockLayout, PixelBox, layout_blocks
from app.typeset.render import Palette, draw_layouts, palette_for_background

_MAX_LAYER_NAME = 30


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
    text: Image.Image  # every block on one transparent layer, RGBA
    flat: Image.Image  # background with the text layer over it, RGBA
    layouts: tuple[BlockLayout, ...]


def layer_name(block: TextBlock | BlockLayout) -> str:
    """``ROLE: TEXT``, the text on one line and cut at 30 characters."""
    text = " ".join(block.text.split())
    return f"{block.role}: {text[:_MAX_LAYER_NAME]}"


def to_pil(image: QImage) -> Image.Image:
    """A QImage as an RGBA Pillow image (straight alpha)."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
    return Image.frombuffer("RGBA", (rgba.width(), rgba.height()), data, "raw", "RGBA",
                            rgba.bytesPerLine(), 1).copy()  # fmt: skip


def _mean_rgb(background: Image.Image, box: PixelBox) -> tuple[int, int, int]:
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return (255, 255, 255)
    patch = background.crop((x, y, x + w, y + h)).convert("RGBA")
    white = Image.new("RGBA", patch.size, (255, 255, 255, 255))
    mean = Image.alpha_composite(white, patch).resize((1, 1), Image.Resampling.BOX)
    red, green, blue, _ = mean.getpixel((0, 0))  # type: ignore[misc]
    return (int(red), int(green), int(blue))


def palettes_for(background: Image.Image, layouts: Sequence[BlockLayout]) -> list[Palette]:
    """Per block: dark or light text, whichever contrasts more with the background in its box."""
    return [palette_for_background(_mean_rgb(background, layout.box)) for layout in layouts]


def _draw(
    layouts: Sequence[BlockLayout], palettes: Sequence[Palette], size: tuple[int, int]
) -> QImage:
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        for layout, palette in zip(layouts, palettes, strict=True):
            draw_layouts(painter, [layout], palette=palette)
    finally:
        painter.end()
    return image


def compose(background: Image.Image, blocks: Sequence[TextBlock]) -> Composition:
    """The blocks set over ``background`` (their boxes scaled to its size)."""
    base = background.convert("RGBA")
    layouts = tuple(layout_blocks(blocks, *base.size))
    text = to_pil(_draw(layouts, palettes_for(base, layouts), base.size))
    return Composition(base, text, Image.alpha_composite(base, text), layouts)


def block_layers(composition: Composition) -> list[BlockLayer]:
    """Each block on its own layer, cropped to its ink, in the blocks' order."""
    palettes = palettes_for(composition.background, composition.layouts)
    layers = []
    for layout, palette in zip(composition.layouts, palettes, strict=True):
        alone = to_pil(_draw([layout], [palette], composition.background.size))
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
