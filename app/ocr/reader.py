"""The OCR engine itself, run inside the worker process: RapidOCR with its packaged models.

The models are the ones inside the ``rapidocr`` wheel (PP-OCRv6 detection and recognition, the
text-direction classifier), given by path, so the engine never looks for a download. One
inference thread: on a busy two-core machine it measured faster than two (threads waiting on each
other), and it leaves a core to the window. Lines are recognised one at a time (no padding).
"""

from __future__ import annotations

import importlib.resources
import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from PIL import Image

from app.core.fidelity import PixelBox, ReadLine
from app.core.spec import Box
from app.ocr.regions import (
    LARGE_TEXT,
    MAX_SIDE,
    block_regions,
    column_groups,
    core_pieces,
    join_pieces,
    text_size,
    tiles,
    union_box,
)

MODEL_FILES: Final = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
}
_MAX_PIXELS: Final = 64_000_000
DETECTION_SCALE: Final = 0.72
"""Text is detected on the image shrunk to this scale (recognised at full resolution): about half
the detector's time, measured with every test poster still read exactly. rapidocr's own setting
is an absolute size (``limit_side_len``), so it is set per image."""


class ReadError(ValueError):
    """Image bytes the reader cannot use; the message says why."""


def model_paths() -> dict[str, Path]:
    """The engine's model files, inside the installed ``rapidocr`` package."""
    root = Path(str(importlib.resources.files("rapidocr"))) / "models"
    return {key: root / name for key, name in MODEL_FILES.items()}


def _box(points: Any) -> PixelBox:
    xs = [float(point[0]) for point in points]
    ys = [float(point[1]) for point in points]
    left, top = int(min(xs)), int(min(ys))
    return (left, top, max(1, round(max(xs)) - left), max(1, round(max(ys)) - top))


def _char_boxes(text: str, words: Any) -> tuple[PixelBox, ...]:
    """One box per character of ``text``: the engine's word boxes, a word of several characters
    (a number, a Latin word) split evenly along its length."""
    boxes: list[PixelBox] = []
    for word in words or ():
        if not word:
            continue
        word_text, _score, points = word
        if points is None:
            return ()
        x, y, w, h = _box(points)
        count = len(word_text)
        for index in range(count):
            if w >= h:
                boxes.append((x + w * index // count, y, max(1, w // count), h))
            else:
                boxes.append((x, y + h * index // count, w, max(1, h // count)))
    if len(boxes) == len(text):
        return tuple(boxes)
    return _with_spaces(text, boxes)


def _with_spaces(text: str, boxes: list[PixelBox]) -> tuple[PixelBox, ...]:
    """The engine gives no box for a space: each space gets the gap between its neighbours, so
    the other characters keep theirs (one box per character, or none when they do not match)."""
    visible = [index for index, char in enumerate(text) if not char.isspace()]
    if len(visible) != len(boxes) or not boxes:
        return ()
    placed: list[PixelBox | None] = [None] * len(text)
    for index, box in zip(visible, boxes, strict=True):
        placed[index] = box
    result: list[PixelBox] = []
    for index, found in enumerate(placed):
        if found is None:
            before = next((b for b in reversed(placed[:index]) if b is not None), boxes[0])
            after = next((b for b in placed[index + 1 :] if b is not None), boxes[-1])
            left = before[0] + before[2]
            found = (left, before[1], max(1, after[0] - left), before[3])
        result.append(found)
    return tuple(result)


class Reader:
    """Reads text from images. Not thread-safe; the worker process holds one."""

    def __init__(self) -> None:
        from rapidocr import RapidOCR  # heavy: imported in the worker process only

        # An image without text is an answer, not a warning.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            # Each line recognised alone: in a batch every line is padded to the widest one's
            # length, and a poster's lines differ a lot (a price beside a sentence). One at a
            # time cut the CPU time of a check by about a quarter (packaging/bench_check.py).
            "Rec.rec_batch_num": 1,
        }
        params.update({key: str(path) for key, path in model_paths().items()})
        self._engine = RapidOCR(params=params)

    def _set_detection_size(self, image: Image.Image) -> None:
        engine: Any = self._engine
        detector = engine._load_det_model()  # rapidocr 3.x; the version is pinned below 4
        detector.limit_type = "max"
        detector.limit_side_len = max(32, round(max(image.size) * DETECTION_SCALE))

    def _read(self, image: Image.Image, offset: tuple[int, int] = (0, 0)) -> list[ReadLine]:
        self._set_detection_size(image)
        # Every step named: the engine keeps the last call's choices.
        result: Any = self._engine(
            image, use_det=True, use_cls=True, use_rec=True, return_word_box=True
        )
        if result.boxes is None or result.txts is None:
            return []
        words = getattr(result, "word_results", ()) or ()
        lines: list[ReadLine] = []
        for index, (points, text, score) in enumerate(
            zip(result.boxes, result.txts, result.scores, strict=True)
        ):
            line_words = words[index] if index < len(words) else ()
            lines.append(
                ReadLine(str(text), _box(points), float(score), _char_boxes(text, line_words))
            )
        lines = self._read_columns(image, lines)
        dx, dy = offset
        return [
            ReadLine(
                line.text,
                (line.box[0] + dx, line.box[1] + dy, line.box[2], line.box[3]),
                line.score,
                tuple((x + dx, y + dy, w, h) for x, y, w, h in line.char_boxes),
            )
            for line in lines
        ]

    def _read_columns(self, image: Image.Image, lines: list[ReadLine]) -> list[ReadLine]:
        """A column of vertical text that the detector cut into pieces (single glyphs, or a glyph
        and the rest), read again whole: turned a quarter left, as the engine turns the columns
        it finds whole, and read as one line."""
        columns, others = column_groups(lines)
        for column in columns:
            if len(column) == 1:
                others += column
                continue
            x, y, w, h = union_box(line.box for line in column)
            turned = image.crop((x, y, x + w, y + h)).transpose(Image.Transpose.ROTATE_90)
            result: Any = self._engine(turned, use_det=False, use_cls=False, use_rec=True)
            texts = getattr(result, "txts", None)
            if not texts:
                others += column
                continue
            text = "".join(str(item) for item in texts).replace(" ", "")
            score = float(min(getattr(result, "scores", None) or [0.0]))
            count = max(1, len(text))
            boxes = tuple((x, y + h * k // count, w, max(1, h // count)) for k in range(count))
            others.append(ReadLine(text, (x, y, w, h), score, boxes))
        return others

    def _read_region(self, image: Image.Image, region: PixelBox) -> list[ReadLine]:
        x, y, w, h = region
        crop = image.crop((x, y, x + w, y + h))
        if max(w, h) <= MAX_SIDE:
            return self._read(crop, (x, y))
        # Large characters from a shrunk read (the engine shrinks it itself), small ones from tiles.
        lines = [line for line in self._read(crop, (x, y)) if text_size(line) >= LARGE_TEXT]
        pieces: list[ReadLine] = []
        for tile in tiles(region):
            tx, ty, tw, th = tile.box
            small = [
                line
                for line in self._read(image.crop((tx, ty, tx + tw, ty + th)), (tx, ty))
                if text_size(line) < LARGE_TEXT
            ]
            pieces += core_pieces(small, tile.core)
        return lines + join_pieces(pieces)

    def read(
        self, image_bytes: bytes, boxes: Sequence[Box] = ()
    ) -> tuple[list[ReadLine], tuple[int, int]]:
        """The lines of text in the image, and its size. An image with a long side over
        ``MAX_SIDE`` is read by regions: ``boxes`` (the blocks' boxes) when given, else tiles."""
        image = open_image(image_bytes)
        width, height = image.size
        if max(width, height) <= MAX_SIDE:
            return self._read(image), (width, height)
        regions = block_regions(boxes, width, height) if boxes else [(0, 0, width, height)]
        lines: list[ReadLine] = []
        for region in regions:
            lines += self._read_region(image, region)
        return lines, (width, height)


def open_image(image_bytes: bytes) -> Image.Image:
    """The image as RGB, transparent parts over white."""
    try:
        with Image.open(io.BytesIO(image_bytes)) as opened:
            if opened.width * opened.height > _MAX_PIXELS:
                raise ReadError(f"The image is too large to read ({opened.width}x{opened.height}).")
            opened.load()
            image = opened.convert("RGBA")
    except (OSError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        if isinstance(error, ReadError):
            raise
        raise ReadError("The file is not an image that can be read (PNG, WebP or JPEG).") from None
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, image).convert("RGB")
