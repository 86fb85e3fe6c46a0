"""Reference images the API will take: checked, converted where needed, and every change said.

Designers drop images from anywhere: phone photos lying on their side, CMYK print files, 16-bit
scans, animated GIFs, screenshots larger than the API allows. ``prepare_reference`` turns each into
an 8-bit RGB(A) PNG, JPEG or WebP under the API's limits, or refuses it with the reason. What was
done comes back as ``Note`` values (a code and its values), so the window can word them in any
language; ``describe`` words them in English for the command line.

Pure image work over bytes: no disk, no Qt.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.models import MAX_INPUT_EDGE, MAX_INPUT_PIXELS

MAX_REFERENCE_BYTES: Final = 50 * 1024 * 1024
"""The API refuses an input image of 50 MB or more."""
MAX_REFERENCE_PIXELS: Final = 4096 * 4096
"""Larger inputs are scaled down: the model sees no more detail, and the upload is smaller."""
MAX_OPEN_PIXELS: Final = MAX_INPUT_PIXELS
"""Beyond this an image is refused unopened, as every input of the studio is (8192x8192)."""
MAX_REFERENCES: Final = 16
MAX_REFERENCES_BESIDE_EDIT: Final = 15
"""An edit sends the image being edited plus at most 15 references: 16 images in all."""

ReferenceFormat = Literal["png", "jpeg", "webp"]
_KEPT_FORMATS: Final[Mapping[str, ReferenceFormat]] = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
_GOOD_MODES: Final = ("RGB", "RGBA")
_JPEG_QUALITY: Final = 95
_MAX_SHRINK_ROUNDS: Final = 8
_PNG_BIT_DEPTH_OFFSET: Final = 24  # signature (8) + length (4) + "IHDR" (4) + width, height (8)

NoteCode = Literal[
    # What was done to an image that is used:
    "exif_rotated",  # orientation
    "made_8bit_rgb",  # mode, bits, to
    "first_frame",  # frames
    "scaled_down",  # width, height, to_width, to_height, reason ("pixels" | "bytes")
    "converted_format",  # source, to
    # Why an image is refused:
    "missing",
    "is_folder",
    "cannot_read",  # reason
    "too_big_to_read",  # limit_mb
    "empty",
    "not_an_image",
    "damaged",
    "too_large_to_open",  # pixels (and width, height when known)
    "too_many",  # limit
]


@dataclass(frozen=True, slots=True)
class Note:
    """One thing done to a reference, or the reason it was refused."""

    code: NoteCode
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return describe(self)


class ReferenceRefused(ValueError):
    """An image that cannot be used as a reference; ``note`` says why."""

    def __init__(self, note: Note) -> None:
        super().__init__(describe(note))
        self.note = note


@dataclass(frozen=True, slots=True)
class PreparedReference:
    """An image the API will take, and what was done to make it so (nothing: ``notes`` empty)."""

    data: bytes
    format: ReferenceFormat
    width: int
    height: int
    notes: tuple[Note, ...]

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format


def reference_limit(*, editing: bool) -> int:
    """How many references a job may carry: 16, or 15 beside the image being edited."""
    return MAX_REFERENCES_BESIDE_EDIT if editing else MAX_REFERENCES


def check_reference_count(count: int, *, editing: bool) -> None:
    """Refuse the reference that would go over the limit (``count`` includes it)."""
    limit = reference_limit(editing=editing)
    if count > limit:
        raise ReferenceRefused(Note("too_many", {"limit": limit, "editing": editing}))


def prepare_reference(
    data: bytes,
    *,
    max_bytes: int = MAX_REFERENCE_BYTES,
    max_pixels: int = MAX_REFERENCE_PIXELS,
) -> PreparedReference:
    """``data`` as an image the API takes: unchanged when it already is one, else converted.

    Raises ``ReferenceRefused`` for anything that is not a readable image.
    """
    if not data:
        raise ReferenceRefused(Note("empty"))
    image = _open(data)
    try:
        return _prepare(image, data, max_bytes=max_bytes, max_pixels=max_pixels)
    finally:
        image.close()


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Sizes past Pillow's warning are refused just below, with a clearer message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError:
        raise ReferenceRefused(Note("not_an_image")) from None
    except Image.DecompressionBombError as error:
        # Pillow refuses before it says the size; its message has the pixel count.
        counted = re.search(r"\((\d+) pixels\)", str(error))
        values = {"pixels": int(counted.group(1))} if counted else {}
        raise ReferenceRefused(Note("too_large_to_open", values)) from None
    except (OSError, SyntaxError, ValueError):
        raise ReferenceRefused(Note("damaged")) from None
    width, height = image.size
    if width * height > MAX_OPEN_PIXELS or width <= 0 or height <= 0:
        image.close()
        values = {"width": width, "height": height, "pixels": width * height}
        raise ReferenceRefused(Note("too_large_to_open", values))
    return image


def _prepare(
    image: Image.Image, data: bytes, *, max_bytes: int, max_pixels: int
) -> PreparedReference:
    notes: list[Note] = []
    source_format = image.format or ""
    frames = int(getattr(image, "n_frames", 1))
    try:
        if frames > 1:
            image.seek(0)
            notes.append(Note("first_frame", {"frames": frames}))
        image.load()
        picture = _upright(image, notes)
        picture = _eight_bit_rgb(picture, data, notes)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ReferenceRefused(Note("damaged")) from None
    kept = _KEPT_FORMATS.get(source_format)
    if not notes and kept is not None and len(data) < max_bytes and _pixels(picture) <= max_pixels:
        return PreparedReference(data, kept, picture.width, picture.height, ())
    target = _target_format(kept, picture)
    if kept != target:
        notes.append(Note("converted_format", {"source": source_format or "?", "to": target}))
    original = picture.size
    if _pixels(picture) > max_pixels:
        picture = _scaled(picture, math.sqrt(max_pixels / _pixels(picture)))
        notes.append(_scaled_note(original, picture.size, "pixels"))
    encoded = _encode(picture, target, image.info.get("icc_profile"))
    before_bytes = picture.size
    rounds = 0
    while len(encoded) >= max_bytes:
        rounds += 1
        if rounds > _MAX_SHRINK_ROUNDS:  # cannot happen for a real image; never send it
            raise ReferenceRefused(Note("too_large_to_open", {"pixels": original[0] * original[1]}))
        picture = _scaled(picture, math.sqrt(max_bytes / len(encoded)) * 0.9)
        encoded = _encode(picture, target, image.info.get("icc_profile"))
    if picture.size != before_bytes:
        notes.append(_scaled_note(before_bytes, picture.size, "bytes"))
    return PreparedReference(encoded, target, picture.width, picture.height, tuple(notes))


def _upright(image: Image.Image, notes: list[Note]) -> Image.Image:
    """The image turned the way the camera's EXIF orientation says it is seen."""
    orientation = int(image.getexif().get(0x0112, 1) or 1)
    if orientation == 1 or not 2 <= orientation <= 8:
        return image
    notes.append(Note("exif_rotated", {"orientation": orientation}))
    return ImageOps.exif_transpose(image)


def _eight_bit_rgb(image: Image.Image, data: bytes, notes: list[Note]) -> Image.Image:
    """RGB, or RGBA when the image has transparency, eight bits per channel."""
    bits = _png_bit_depth(data)
    mode = image.mode
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    target = "RGBA" if has_alpha else "RGB"
    if mode in _GOOD_MODES and bits in (None, 8):
        return image
    if mode == "CMYK":
        converted = _cmyk_to_rgb(image)
    elif mode.startswith("I") or mode == "F":
        # 16- or 32-bit greyscale: scale to 0..255 (a plain convert would clip everything bright).
        scale = 1 / 256 if mode.startswith("I;16") or (bits or 0) == 16 else 1.0
        converted = image.convert("I").point(lambda value: value * scale).convert(target)
    else:
        converted = image.convert(target)
    notes.append(Note("made_8bit_rgb", {"mode": mode, "bits": bits or 8, "to": target}))
    return converted


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    """Through the file's own colour profile when it has one, so print colours look right."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image.convert("RGB")
    try:
        from PIL import ImageCms
    except ImportError:  # a Pillow built without LittleCMS
        return image.convert("RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (OSError, ImageCms.PyCMSError):
        converted = None  # a broken or unusable profile: the plain conversion still works
    return converted if converted is not None else image.convert("RGB")


def _png_bit_depth(data: bytes) -> int | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > _PNG_BIT_DEPTH_OFFSET:
        return data[_PNG_BIT_DEPTH_OFFSET]
    return None


def _target_format(kept: ReferenceFormat | None, image: Image.Image) -> ReferenceFormat:
    """A photo stays a JPEG; everything else (and anything transparent) becomes a PNG."""
    if kept == "jpeg" and image.mode == "RGB":
        return "jpeg"
    return "png"


def _encode(image: Image.Image, target: ReferenceFormat, icc_profile: Any) -> bytes:
    buffer = io.BytesIO()
    profile = icc_profile if image.mode in _GOOD_MODES else None
    if target == "jpeg":
        image.save(buffer, "JPEG", quality=_JPEG_QUALITY, icc_profile=_rgb_profile(profile))
    else:
        image.save(buffer, "PNG", optimize=False, icc_profile=_rgb_profile(profile))
    return buffer.getvalue()


def _rgb_profile(profile: Any) -> bytes | None:
    """An RGB colour profile to keep; a CMYK or grey one would mislabel the converted pixels."""
    if isinstance(profile, bytes) and len(profile) > 20 and profile[16:20] == b"RGB ":
        return profile
    return None


def _scaled(image: Image.Image, factor: float) -> Image.Image:
    width = max(1, math.floor(image.width * factor))
    height = max(1, math.floor(image.height * factor))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _scaled_note(before: tuple[int, int], after: tuple[int, int], reason: str) -> Note:
    values = {"width": before[0], "height": before[1], "to_width": after[0], "to_height": after[1]}
    return Note("scaled_down", {**values, "reason": reason})


def _pixels(image: Image.Image) -> int:
    return image.width * image.height


def describe(note: Note) -> str:
    """The note in one English sentence (the window words the same codes in the UI language)."""
    v = note.values
    match note.code:
        case "exif_rotated":
            return "turned upright as its camera orientation says"
        case "made_8bit_rgb":
            depth = f"{v.get('bits')}-bit " if v.get("bits") not in (None, 8) else ""
            return f"converted from {depth}{v.get('mode')} to 8-bit {v.get('to')}"
        case "first_frame":
            return f"animated ({v.get('frames')} frames): its first frame is used"
        case "scaled_down":
            why = "too many pixels" if v.get("reason") == "pixels" else "over 50 MB"
            return (
                f"scaled down from {v.get('width')}x{v.get('height')} to "
                f"{v.get('to_width')}x{v.get('to_height')} ({why})"
            )
        case "converted_format":
            return f"converted from {v.get('source')} to {str(v.get('to')).upper()}"
        case "missing":
            return "no such file"
        case "is_folder":
            return "is a folder, not an image"
        case "cannot_read":
            return f"cannot be read ({v.get('reason')})"
        case "too_big_to_read":
            return f"larger than {v.get('limit_mb')} MB, the limit; export it smaller"
        case "empty":
            return "the file is empty"
        case "not_an_image":
            return "not an image this studio can read; use a PNG, WebP or JPEG file"
        case "damaged":
            return "the image is damaged; export it again"
        case "too_large_to_open":
            pixels = int(v.get("pixels") or 0)
            if v.get("width") and v.get("height"):
                size = f"{v['width']}x{v['height']} is {pixels:,} pixels, more than"
            elif pixels:
                size = f"{pixels:,} pixels, more than"
            else:
                size = "more than"
            limit = f"{MAX_OPEN_PIXELS:,} ({MAX_INPUT_EDGE}x{MAX_INPUT_EDGE})"
            return f"too large to open: {size} the {limit} an image may have; export it smaller"
        case "too_many":
            where = " beside the image being edited" if v.get("editing") else ""
            return f"at most {v.get('limit')} reference images{where}; remove one first"
    return str(note.code)
