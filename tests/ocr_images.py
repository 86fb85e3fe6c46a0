"""Images for the OCR tests, drawn by the studio's own typesetter over several backgrounds."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Literal

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter

from app.core.spec import TextBlock
from app.typeset.fonts import ensure_gui_application
from app.typeset.layout import layout_blocks
from app.typeset.render import draw_layouts, image_to_png_bytes

Background = Literal["plain", "gradient", "noise"]


def _background(width: int, height: int, kind: Background, seed: int) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    if kind == "plain":
        image.fill(QColor("#f4efe6"))
        return image
    painter = QPainter(image)
    try:
        gradient = QLinearGradient(QPointF(0, 0), QPointF(width, height))
        gradient.setColorAt(0.0, QColor("#e8f1fb"))
        gradient.setColorAt(1.0, QColor("#fbe3cf"))
        painter.fillRect(0, 0, width, height, gradient)
        if kind == "noise":
            # Speckles of every shade: the kind of texture a photo or paper grain puts behind text.
            chooser = random.Random(seed)
            painter.setPen(Qt.PenStyle.NoPen)
            for _ in range(width * height // 150):
                shade = chooser.randrange(170, 256)
                painter.setBrush(QColor(shade, shade, shade))
                size = chooser.choice((1, 2, 3))
                painter.drawRect(chooser.randrange(width), chooser.randrange(height), size, size)
    finally:
        painter.end()
    return image


def render(
    blocks: Sequence[TextBlock],
    width: int = 1024,
    height: int = 1024,
    background: Background = "plain",
    seed: int = 0,
) -> bytes:
    """A PNG of ``blocks`` set by the typesetter (each in its box) over ``background``."""
    ensure_gui_application()
    image = _background(width, height, background, seed)
    painter = QPainter(image)
    try:
        draw_layouts(painter, layout_blocks(blocks, width, height))
    finally:
        painter.end()
    return image_to_png_bytes(image)
