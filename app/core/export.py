"""Images as a designer hands them over: PNG with its alpha, WebP, or JPEG on a chosen colour.

Pure work over bytes: the library's image in, the exported file's bytes out. The spec travels in the
file by default (``app.core.metadata``), or not at all when switched off.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from PIL import Image, ImageColor

from app.core.metadata import (
    MetadataError,
    embed_metadata,
    image_format,
    png_without_metadata,
)

ExportFormat = Literal["png", "webp", "jpeg"]
EXPORT_FORMATS: Final[tuple[ExportFormat, ...]] = ("png", "webp", "jpeg")
ClashChoice = Literal["keep_both", "replace", "skip"]
"""What to do when an exported file's name is already in the folder: keep both (the new file gets
``-2``), replace the file there, or skip this image."""
EXTENSIONS: Final[Mapping[ExportFormat, str]] = {"png": "png", "webp": "webp", "jpeg": "jpg"}
_PIL_NAMES: Final[Mapping[ExportFormat, str]] = {"png": "PNG", "webp": "WEBP", "jpeg": "JPEG"}


class ExportError(ValueError):
    """Export options that cannot be used, or an image that cannot be read; the message says so."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    format: ExportFormat = "png"
    quality: int = 90  # WebP and JPEG, 1..100
    lossless: bool = False  # WebP only
    background: str = "#ffffff"  # JPEG: what transparent pixels are laid on
    embed_spec: bool = True

    def __post_init__(self) -> None:
        if self.format not in EXPORT_FORMATS:
            raise ExportError(f"Export format {self.format!r} is not one of png, webp, jpeg.")
        if not 1 <= self.quality <= 100:
            raise ExportError(f"Export quality must be 1..100, not {self.quality}.")
        background_rgb(self.background)

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def background_rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` (or a CSS colour name) as RGB; ``ExportError`` when it is not a colour."""
    try:
        red, green, blue = ImageColor.getrgb(colour)[:3]
    except ValueError:
        raise ExportError(f"{colour!r} is not a colour: use #rrggbb.") from None
    return red, green, blue


def encode_export(data: bytes, options: ExportOptions, payload: Mapping[str, Any] | None) -> bytes:
    """``data`` (a PNG, WebP or JPEG) as the exported file's bytes.

    ``payload`` (see ``make_payload``) goes in when ``options.embed_spec``; otherwise the file
    carries no studio data at all, not even the copy the library's image has.
    """
    try:
        source_format = image_format(data)
    except MetadataError:
        raise ExportError("The library's image is not a PNG, WebP or JPEG file.") from None
    try:
        if options.format == "png" == source_format:
            # Lossless already: only the studio data changes, the pixel data is copied untouched
            # (re-encoding a 4K PNG would take seconds and give the same pixels).
            if options.embed_spec and payload is not None:
                return embed_metadata(data, payload)
            return png_without_metadata(data)
        encoded = _reencoded(data, options)
        if options.embed_spec and payload is not None:
            return embed_metadata(encoded, payload)
        return encoded
    except MetadataError as error:
        raise ExportError(f"The library's image cannot be exported: {error}") from None


def _reencoded(data: bytes, options: ExportOptions) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = _with_alpha_or_rgb(opened)
    except (OSError, SyntaxError, ValueError):
        raise ExportError("The library's image is damaged and cannot be exported.") from None
    if options.format == "jpeg" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, background_rgb(options.background))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    name = _PIL_NAMES[options.format]
    if options.format == "png":
        image.save(buffer, name)
    elif options.format == "webp":
        image.save(buffer, name, lossless=options.lossless, quality=options.quality, exact=True)
    else:
        image.save(buffer, name, quality=options.quality, optimize=True)
    return buffer.getvalue()


def _with_alpha_or_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image.copy()
    transparent = image.mode in ("LA", "PA", "RGBa", "La") or "transparency" in image.info
    return image.convert("RGBA" if transparent else "RGB")
