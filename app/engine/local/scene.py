"""The backdrop of a local draft, derived from the description and nothing else.

Words in the description pick a theme (palette and gradient), a motif hinting at the subject (a
box, a bottle, a round thing, a network, a desk, hills) and the subject's colour; a hash of the
description (and of the image's index in the request) seeds every other choice, so the same
request always draws the same picture and the variations of one request differ. The motif goes
where the text boxes leave the most room.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QRadialGradient

from app.engine.local.motifs import MOTIFS, Canvas, paint_motif
from app.typeset.render import relative_luminance

PixelBox = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    keywords: tuple[str, ...]
    colour: str | None  # the colour word the theme stands for, if any
    top: str
    bottom: str
    accents: tuple[str, str, str]


THEMES: Final = (
    Theme("studio", ("white", "studio", "clean", "minimal", "product", "table"), "white",
          "#fbfaf8", "#e4e1dc", ("#d9d4cc", "#c2bbb0", "#efe9e0")),
    Theme("tech", ("blue", "technology", "tech", "ai", "digital", "engineering", "data",
                   "futuristic", "cyber", "code", "bootcamp"), "blue",
          "#0b1d4a", "#1c3f94", ("#38bdf8", "#818cf8", "#60a5fa")),
    Theme("festive", ("red", "lantern", "festival", "new", "year", "spring", "celebration",
                      "lucky"), "red",
          "#fff1e6", "#f9c7a8", ("#e63946", "#f4a261", "#ffd166")),
    Theme("nature", ("green", "tea", "leaf", "leaves", "nature", "plant", "organic", "forest",
                     "matcha", "fresh"), "green",
          "#f1f7ea", "#cfe4c0", ("#7fb069", "#4f7942", "#e9d8a6")),
    Theme("warm", ("wood", "wooden", "coffee", "warm", "cosy", "cozy", "autumn", "bread",
                   "brown"), "brown",
          "#fbf1e2", "#e8c9a0", ("#b07d4f", "#7a5235", "#f3d9b1")),
    Theme("pastel", ("pastel", "soft", "cute", "pink", "lifestyle", "airy", "bright", "dreamy"),
          "pink", "#fdf2f8", "#dfe6fd", ("#f9a8d4", "#a5b4fc", "#fde68a")),
    Theme("steel", ("steel", "metal", "stainless", "silver", "grey", "gray", "thermos",
                    "chrome"), "grey",
          "#f5f6f8", "#cdd2d9", ("#9aa3ae", "#6b7480", "#e5e8ec")),
    Theme("night", ("night", "dark", "neon", "black", "space", "galaxy", "luxury"), "black",
          "#111827", "#312e81", ("#a78bfa", "#f472b6", "#22d3ee")),
    Theme("sunny", ("summer", "sun", "sunny", "orange", "yellow", "beach", "fruit", "juice"),
          "yellow", "#fff8e1", "#ffd8a8", ("#ff9f1c", "#ffbf69", "#2ec4b6")),
)  # fmt: skip

COLOUR_WORDS: Final = {
    "red": "#c8372d", "orange": "#e8772e", "yellow": "#f2c14e", "gold": "#c9a227",
    "golden": "#c9a227", "green": "#3f7d4e", "teal": "#2a9d8f", "blue": "#2f5fb3",
    "navy": "#1f2f5c", "purple": "#6d4bb3", "pink": "#e07a9f", "brown": "#8a5a3b",
    "black": "#2a2a30", "white": "#f4f4f2", "grey": "#8f949b", "gray": "#8f949b",
    "silver": "#b8bcc2",
}  # fmt: skip

_NUMBER_WORDS: Final = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_WORD: Final = re.compile(r"[a-z]+")

# Where a motif may go, as fractions of the canvas, with a weight for the free area in each:
# the middle is preferred, the top least.
_REGIONS: Final = (
    ((0.2, 0.2, 0.6, 0.6), 1.15),
    ((0.12, 0.44, 0.76, 0.5), 1.0),
    ((0.6, 0.1, 0.36, 0.8), 1.0),
    ((0.04, 0.1, 0.36, 0.8), 1.0),
    ((0.12, 0.06, 0.76, 0.5), 0.9),
)
_MIN_CONTRAST: Final = 2.5  # a subject colour must stand out this much from the backdrop


@dataclass(frozen=True, slots=True)
class Scene:
    theme: Theme
    motif: str
    subject_colour: str
    icons: int  # a row of this many small icons (0: none)
    seed: int
    table: bool  # a surface the subject stands on


def _seed(description: str, index: int) -> int:
    digest = hashlib.sha256(f"{index}\x00{description}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _theme(words: Sequence[str], seed: int) -> Theme:
    scores = [
        sum((2 if word == theme.colour else 1) for word in words if word in theme.keywords)
        for theme in THEMES
    ]
    best = max(scores)
    if best == 0:
        return THEMES[seed % len(THEMES)]
    return THEMES[scores.index(best)]


def _motif(words: Sequence[str]) -> str:
    for motif, keywords in MOTIFS.items():
        if any(word in keywords for word in words):
            return motif
    return "blobs"


def _subject_colour(words: Sequence[str], theme: Theme, motif: str) -> str:
    """The colour said just before the subject ("red lantern"), else the first colour that is
    not the theme's own, else the theme's first accent."""
    subject = MOTIFS.get(motif, ())
    visible = [word for word in words if word not in COLOUR_WORDS or _stands_out(word, theme)]
    for at, word in enumerate(words):
        near = words[at + 1 : at + 4]
        if word in visible and word in COLOUR_WORDS and any(w in subject for w in near):
            return COLOUR_WORDS[word]
    own = COLOUR_WORDS.get(theme.colour or "", "")
    colours = [COLOUR_WORDS[word] for word in visible if word in COLOUR_WORDS]
    return next((colour for colour in colours if colour != own), theme.accents[0])


def _stands_out(colour_word: str, theme: Theme) -> bool:
    """Whether the colour contrasts enough with the middle of the theme's gradient."""
    top, bottom = QColor(theme.top), QColor(theme.bottom)
    middle = ((top.red() + bottom.red()) // 2, (top.green() + bottom.green()) // 2,
              (top.blue() + bottom.blue()) // 2)  # fmt: skip
    colour = QColor(COLOUR_WORDS[colour_word])
    first = relative_luminance((colour.red(), colour.green(), colour.blue()))
    second = relative_luminance(middle)
    return (max(first, second) + 0.05) / (min(first, second) + 0.05) >= _MIN_CONTRAST


def _icons(words: Sequence[str]) -> int:
    if "icons" not in words and "icon" not in words:
        return 0
    at = words.index("icons") if "icons" in words else words.index("icon")
    for word in reversed(words[max(0, at - 3) : at]):
        if word in _NUMBER_WORDS:
            return _NUMBER_WORDS[word]
    return 4


def scene_for(description: str, index: int = 0) -> Scene:
    """The scene of image ``index`` of a request with this description."""
    words = _WORD.findall(description.lower())
    seed = _seed(description, index)
    theme = _theme(words, _seed(description, 0))
    motif = _motif(words)
    table = any(word in ("table", "desk", "studio", "floor", "counter") for word in words)
    return Scene(theme, motif, _subject_colour(words, theme, motif), _icons(words), seed, table)


def _free_spans(
    start: float, end: float, taken: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    spans = [(start, end)]
    for low, high in taken:
        spans = [
            part
            for a, b in spans
            for part in ((a, min(b, low)), (max(a, high), b))
            if part[1] - part[0] > 0
        ]
    return spans


def _free_part(region: QRectF, boxes: Sequence[PixelBox], margin: float) -> QRectF:
    """The largest band of the region (across or down) that no text box touches."""
    left, top, right, bottom = region.left(), region.top(), region.right(), region.bottom()
    across = [(y - margin, y + h + margin) for x, y, w, h in boxes if x < right and x + w > left]
    down = [(x - margin, x + w + margin) for x, y, w, h in boxes if y < bottom and y + h > top]
    best = QRectF()
    for a, b in _free_spans(top, bottom, across):
        if (b - a) * region.width() > best.width() * best.height():
            best = QRectF(left, a, region.width(), b - a)
    for a, b in _free_spans(left, right, down):
        if (b - a) * region.height() > best.width() * best.height():
            best = QRectF(a, top, b - a, region.height())
    return best


def motif_region(width: int, height: int, avoid: Sequence[PixelBox]) -> QRectF:
    """Where the motif goes: the largest part of a candidate region that the text leaves free.

    When the text leaves no room worth having, the motif goes in the middle, under the text.
    """
    regions = [QRectF(x * width, y * height, w * width, h * height) for (x, y, w, h), _ in _REGIONS]
    margin = 0.02 * min(width, height)
    free = [_free_part(region, avoid, margin) for region in regions]
    areas = [
        part.width() * part.height() * weight
        for part, (_, weight) in zip(free, _REGIONS, strict=True)
    ]
    best = free[areas.index(max(areas))]
    if best.width() < 0.15 * width or best.height() < 0.15 * height:
        return regions[0]
    return best


def _gradient_colours(theme: Theme, rng: random.Random) -> tuple[QColor, QColor]:
    top, bottom = QColor(theme.top), QColor(theme.bottom)
    shift = rng.randint(-14, 14)  # variations differ in hue
    return (
        QColor.fromHsv((top.hue() + shift) % 360, top.saturation(), top.value()),
        QColor.fromHsv((bottom.hue() + shift) % 360, bottom.saturation(), bottom.value()),
    )


def _paint_backdrop(
    painter: QPainter, scene: Scene, width: int, height: int, rng: random.Random
) -> None:
    top, bottom = _gradient_colours(scene.theme, rng)
    tilt = rng.uniform(-0.25, 0.25) * width
    gradient = QLinearGradient(QPointF(width / 2 - tilt, 0), QPointF(width / 2 + tilt, height))
    gradient.setColorAt(0.0, top)
    gradient.setColorAt(1.0, bottom)
    painter.fillRect(QRectF(0, 0, width, height), gradient)
    short = min(width, height)
    for _ in range(rng.randint(3, 5)):
        colour = QColor(rng.choice(scene.theme.accents))
        centre = QPointF(rng.uniform(0, width), rng.uniform(0, height))
        radius = rng.uniform(0.25, 0.6) * short
        glow = QRadialGradient(centre, radius)
        colour.setAlphaF(rng.uniform(0.12, 0.3))
        glow.setColorAt(0.0, colour)
        colour.setAlphaF(0.0)
        glow.setColorAt(1.0, colour)
        area = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.fillRect(area.intersected(QRectF(0, 0, width, height)), glow)
    if scene.table:
        surface = QLinearGradient(QPointF(0, height * 0.62), QPointF(0, height))
        edge = QColor(bottom).darker(106)
        edge.setAlphaF(0.0)
        surface.setColorAt(0.0, edge)
        edge.setAlphaF(0.55)
        surface.setColorAt(0.08, edge)
        edge.setAlphaF(0.8)
        surface.setColorAt(1.0, edge)
        painter.fillRect(QRectF(0, height * 0.62, width, height * 0.38), surface)


def _shade(colour: str, rng: random.Random) -> QColor:
    """The subject's colour, a little different in each variation."""
    base = QColor(colour)
    value = min(255, max(0, round(base.value() * rng.uniform(0.85, 1.15))))
    return QColor.fromHsv((base.hue() + rng.randint(-8, 8)) % 360, base.saturation(), value)


def paint_scene(
    painter: QPainter,
    scene: Scene,
    width: int,
    height: int,
    *,
    avoid: Sequence[PixelBox] = (),
    transparent: bool = False,
) -> None:
    """Paints the scene in ``width`` x ``height`` canvas units (the painter may be scaled).

    With ``transparent`` only the motif is painted, on whatever the painter's device holds.
    """
    rng = random.Random(scene.seed)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if not transparent:
        _paint_backdrop(painter, scene, width, height, rng)
    canvas = Canvas(width, height, motif_region(width, height, avoid))
    paint_motif(painter, scene.motif, canvas, _shade(scene.subject_colour, rng), scene.icons, rng)
    painter.restore()
