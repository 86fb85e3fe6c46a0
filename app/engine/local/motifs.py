"""Simple shapes that hint at a draft's subject: a box, a bottle, a lantern, a network, a desk.

Each painter draws inside a region of the canvas in canvas units, taking every random choice from
the ``rng`` it is given, so a scene paints the same at every scale. Nothing here looks like
letters: a draft's only text is the required text.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF, QRadialGradient

MOTIFS: Final[dict[str, tuple[str, ...]]] = {
    "box": ("box", "boxes", "package", "packaging", "carton", "gift", "tin"),
    "bottle": ("bottle", "thermos", "flask", "jar", "perfume", "serum", "cosmetic", "can"),
    "lantern": ("lantern", "lanterns"),
    "round": ("ball", "mascot", "sun", "moon", "apple", "orange", "planet", "globe", "coin"),
    "network": ("technology", "tech", "ai", "circuit", "network", "data", "digital",
                "engineering", "code", "software", "bootcamp"),
    "desk": ("notebook", "laptop", "desk", "coffee", "book", "books", "workspace", "study"),
    "hills": ("mountain", "mountains", "landscape", "sea", "beach", "lake", "hill", "hills",
              "travel", "outdoor"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Canvas:
    width: int
    height: int
    region: QRectF  # where the motif goes

    @property
    def short(self) -> float:
        return float(min(self.width, self.height))


def _alpha(colour: QColor, alpha: float) -> QColor:
    copy = QColor(colour)
    copy.setAlphaF(alpha)
    return copy


def _shadow(painter: QPainter, centre: QPointF, rx: float, ry: float) -> None:
    glow = QRadialGradient(centre, rx)
    glow.setColorAt(0.0, QColor(0, 0, 0, 60))
    glow.setColorAt(1.0, QColor(0, 0, 0, 0))
    painter.save()
    painter.translate(centre)
    painter.scale(1.0, ry / rx)
    painter.translate(-centre)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(glow))
    painter.drawEllipse(centre, rx, rx)
    painter.restore()


def _box(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    tall = rng.uniform(0.8, 1.45)  # height over width of the front face
    front_h = min(r.height() * 0.72, r.width() * 0.6 * tall)
    front_w = front_h / tall
    depth = front_w * rng.uniform(0.22, 0.38)
    bottom = r.bottom() - r.height() * 0.06
    left = r.center().x() - (front_w + depth) / 2 + rng.uniform(-0.12, 0.12) * r.width()
    front = QRectF(left, bottom - front_h, front_w, front_h)
    lift = QPointF(depth, -depth * 0.6)
    _shadow(painter, QPointF(front.center().x() + depth / 2, bottom), front_w * 0.9, front_w * 0.12)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour.lighter(125))
    tl, tr = front.topLeft(), front.topRight()
    painter.drawPolygon(QPolygonF([tl, tr, tr + lift, tl + lift]))
    painter.setBrush(colour.darker(135))
    br = front.bottomRight()
    painter.drawPolygon(QPolygonF([tr, tr + lift, br + lift, br]))
    painter.setBrush(colour)
    painter.drawRect(front)
    band = QRectF(
        front.left(), front.top() + front_h * rng.uniform(0.2, 0.6), front_w, front_h * 0.2
    )
    painter.setBrush(_alpha(QColor("#ffffff"), 0.8))
    painter.drawRect(band)
    painter.setBrush(colour.darker(115))
    painter.drawEllipse(band.center(), band.height() * 0.28, band.height() * 0.28)


def _bottle(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    body_h = r.height() * rng.uniform(0.5, 0.66)
    body_w = min(r.width() * 0.32, body_h * rng.uniform(0.3, 0.45))
    bottom = r.bottom() - r.height() * 0.06
    cx = r.center().x() + rng.uniform(-0.08, 0.08) * r.width()
    _shadow(painter, QPointF(cx, bottom), body_w * 1.1, body_w * 0.16)
    body = QRectF(cx - body_w / 2, bottom - body_h, body_w, body_h)
    neck = QRectF(cx - body_w * 0.3, body.top() - body_h * 0.1, body_w * 0.6, body_h * 0.12)
    cap = QRectF(cx - body_w * 0.36, neck.top() - body_h * 0.12, body_w * 0.72, body_h * 0.13)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour.darker(110))
    painter.drawRect(neck)
    painter.setBrush(colour.darker(150))
    painter.drawRoundedRect(cap, body_w * 0.08, body_w * 0.08)
    painter.setBrush(colour)
    painter.drawRoundedRect(body, body_w * 0.3, body_w * 0.3)
    shine = QRectF(
        body.left() + body_w * 0.18, body.top() + body_h * 0.1, body_w * 0.1, body_h * 0.75
    )
    painter.setBrush(_alpha(QColor("#ffffff"), 0.4))
    painter.drawRoundedRect(shine, body_w * 0.05, body_w * 0.05)


def _ball(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    shade = QRadialGradient(centre + QPointF(-radius * 0.35, -radius * 0.4), radius * 1.4)
    shade.setColorAt(0.0, colour.lighter(145))
    shade.setColorAt(1.0, colour.darker(125))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(shade))
    painter.drawEllipse(centre, radius, radius)


def _round(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    radius = min(r.width(), r.height()) * rng.uniform(0.3, 0.38)
    _ball(painter, r.center(), radius, colour)


def _lantern(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    radius = min(r.width(), r.height()) * 0.34
    centre = r.center()
    gold = QColor("#f2b33d")
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gold)
    cap_w, cap_h = radius * 0.8, radius * 0.18
    left = centre.x() - cap_w / 2
    for top in (centre.y() - radius * 0.98 - cap_h, centre.y() + radius * 0.98 - cap_h * 0.4):
        painter.drawRoundedRect(QRectF(left, top, cap_w, cap_h * 1.4), cap_h * 0.3, cap_h * 0.3)
    tassel = QRectF(
        centre.x() - radius * 0.04, centre.y() + radius * 1.2, radius * 0.08, radius * 0.5
    )
    painter.drawRoundedRect(tassel, radius * 0.04, radius * 0.04)
    painter.save()
    painter.translate(centre)
    painter.scale(1.15, 1.0)
    _ball(painter, QPointF(0, 0), radius, colour)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(_alpha(colour.darker(150), 0.6), radius * 0.03))
    for ratio in (0.35, 0.7):
        painter.drawEllipse(QPointF(0, 0), radius * ratio, radius)
    painter.restore()


def _network(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    inner = r.adjusted(r.width() * 0.08, r.height() * 0.08, -r.width() * 0.08, -r.height() * 0.3)
    nodes = [
        QPointF(rng.uniform(inner.left(), inner.right()), rng.uniform(inner.top(), inner.bottom()))
        for _ in range(rng.randint(8, 11))
    ]
    line = colour.lighter(130)
    painter.setPen(QPen(_alpha(line, 0.55), canvas.short * 0.004))
    for node in nodes:
        nearest = sorted(nodes, key=lambda o: math.hypot(o.x() - node.x(), o.y() - node.y()))
        for other in nearest[1:3]:
            painter.drawLine(node, other)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(_alpha(line, 0.25), canvas.short * 0.003))
    for ratio in (0.2, 0.32):
        painter.drawEllipse(inner.center(), canvas.short * ratio, canvas.short * ratio)
    painter.setPen(Qt.PenStyle.NoPen)
    for node in nodes:
        size = canvas.short * rng.uniform(0.008, 0.016)
        painter.setBrush(_alpha(line, 0.3))
        painter.drawEllipse(node, size * 2.2, size * 2.2)
        painter.setBrush(line)
        painter.drawEllipse(node, size, size)


def _desk(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    unit = min(r.width(), r.height())
    painter.setPen(Qt.PenStyle.NoPen)
    painter.save()
    painter.translate(r.left() + r.width() * 0.36, r.top() + r.height() * 0.45)
    painter.rotate(rng.uniform(-12, -4))
    laptop = QRectF(-unit * 0.34, -unit * 0.22, unit * 0.68, unit * 0.44)
    painter.setBrush(QColor("#3a3f47"))
    painter.drawRoundedRect(laptop, unit * 0.03, unit * 0.03)
    painter.setBrush(QColor("#9fb4c7"))
    painter.drawRect(laptop.adjusted(unit * 0.03, unit * 0.03, -unit * 0.03, -unit * 0.03))
    painter.restore()
    painter.save()
    painter.translate(r.left() + r.width() * 0.74, r.top() + r.height() * 0.66)
    painter.rotate(rng.uniform(6, 16))
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(-unit * 0.15, -unit * 0.2, unit * 0.3, unit * 0.4), 8, 8)
    painter.restore()
    cup = QPointF(r.left() + r.width() * 0.78, r.top() + r.height() * 0.22)
    painter.setBrush(QColor("#fdfdfc"))
    painter.drawEllipse(cup, unit * 0.1, unit * 0.1)
    painter.setBrush(QColor("#6f4a2f"))
    painter.drawEllipse(cup, unit * 0.07, unit * 0.07)


def _hills(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    width, height = canvas.width, canvas.height
    sun = canvas.region.center() - QPointF(0, canvas.region.height() * 0.15)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_alpha(QColor("#ffd166"), 0.9))
    painter.drawEllipse(sun, canvas.short * 0.09, canvas.short * 0.09)
    for layer in range(3):
        base = height * (0.72 + layer * 0.09)
        points = [QPointF(0, height)]
        steps = 6
        for step in range(steps + 1):
            x = width * step / steps
            points.append(QPointF(x, base - rng.uniform(0.02, 0.12) * height))
        points.append(QPointF(width, height))
        painter.setBrush(colour.lighter(150 - layer * 25))
        painter.drawPolygon(QPolygonF(points))


def _blobs(painter: QPainter, canvas: Canvas, colour: QColor, rng: random.Random) -> None:
    r = canvas.region
    painter.setPen(Qt.PenStyle.NoPen)
    for shade in (150, 115, 100):
        centre = QPointF(
            rng.uniform(r.left() + r.width() * 0.3, r.right() - r.width() * 0.3),
            rng.uniform(r.top() + r.height() * 0.3, r.bottom() - r.height() * 0.3),
        )
        radius = min(r.width(), r.height()) * rng.uniform(0.15, 0.3)
        painter.setBrush(_alpha(colour.lighter(shade), 0.85))
        painter.drawEllipse(centre, radius, radius)


def _icons(painter: QPainter, canvas: Canvas, colour: QColor, count: int) -> None:
    r = canvas.region
    size = min(r.width() / (count * 1.45), r.height() * 0.16)
    gap = size * 0.4
    left = r.center().x() - (count * size + (count - 1) * gap) / 2
    top = r.bottom() - size - r.height() * 0.04
    tints = (colour, colour.lighter(130), colour.darker(120), colour.lighter(160))
    for number in range(count):
        cell = QRectF(left + number * (size + gap), top, size, size)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_alpha(QColor("#ffffff"), 0.16))
        painter.drawRoundedRect(cell, size * 0.22, size * 0.22)
        painter.setBrush(tints[number % len(tints)])
        inset = size * 0.28
        inner = cell.adjusted(inset, inset, -inset, -inset)
        painter.drawRoundedRect(inner, size * 0.08, size * 0.08)


_PAINTERS: Final[dict[str, Callable[[QPainter, Canvas, QColor, random.Random], None]]] = {
    "box": _box,
    "bottle": _bottle,
    "lantern": _lantern,
    "round": _round,
    "network": _network,
    "desk": _desk,
    "hills": _hills,
    "blobs": _blobs,
}


def paint_motif(
    painter: QPainter,
    motif: str,
    canvas: Canvas,
    colour: QColor,
    icons: int,
    rng: random.Random,
) -> None:
    """Paints ``motif`` (a key of ``MOTIFS``, or "blobs") and an optional row of icons."""
    painter.save()
    _PAINTERS.get(motif, _blobs)(painter, canvas, colour, rng)
    painter.restore()
    if icons:
        painter.save()
        _icons(painter, canvas, colour, icons)
        painter.restore()
