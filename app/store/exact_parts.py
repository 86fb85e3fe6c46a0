"""The parts of an exact-text image kept beside it in the library: the background and the layer.

An exact-text composite is an ordinary library image; its text-free background (the bytes the
model sent) and its transparent text layer sit next to it, named after it, so re-compositing
after a text change needs only the files: ``…-1a2b3c4d.png`` has ``…-1a2b3c4d.background.png``
(or .webp/.jpg, as received) and ``…-1a2b3c4d.layer.png``. No column of the library changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from app.store.files import link_or_copy, write_atomic
from app.store.records import ImageRecord

_EXTENSIONS: Final = {"png": "png", "webp": "webp", "jpeg": "jpg"}


@dataclass(frozen=True, slots=True)
class KeptParts:
    background: Path
    layer: Path


def _stem(record: ImageRecord) -> Path:
    return record.path.with_suffix("")


def layer_path(record: ImageRecord) -> Path:
    return _stem(record).with_name(_stem(record).name + ".layer.png")


def background_path(record: ImageRecord, output_format: str) -> Path:
    extension = _EXTENSIONS[output_format]
    return _stem(record).with_name(f"{_stem(record).name}.background.{extension}")


def keep_parts(
    record: ImageRecord, *, background: bytes, background_format: str, layer: bytes
) -> KeptParts:
    """Writes the background and the layer beside ``record``'s file (atomically)."""
    parts = KeptParts(background_path(record, background_format), layer_path(record))
    write_atomic(parts.background, background)
    write_atomic(parts.layer, layer)
    return parts


def keep_shared_parts(record: ImageRecord, *, background: Path, layer: bytes) -> KeptParts:
    """Keeps beside ``record`` (a composite set again over another image's kept ``background``)
    that same background file, linked rather than copied, and its own new text layer."""
    extension = background.name.rsplit(".", 1)[-1]
    output_format = next(fmt for fmt, ext in _EXTENSIONS.items() if ext == extension)
    parts = KeptParts(background_path(record, output_format), layer_path(record))
    link_or_copy(background, parts.background)  # one file: a 4K background is tens of MB
    write_atomic(parts.layer, layer)
    return parts


def side_files(image_file: Path) -> list[Path]:
    """Every file an exact-text composite at ``image_file`` may have beside it, existing or not:
    what removing the image for good must remove too."""
    stem = image_file.with_suffix("")
    backgrounds = [stem.with_name(f"{stem.name}.background.{ext}") for ext in _EXTENSIONS.values()]
    return [*backgrounds, stem.with_name(f"{stem.name}.layer.png")]


def kept_background(image_file: Path) -> Path | None:
    """The text-free background kept beside the composite at ``image_file``, if it is one."""
    stem = image_file.with_suffix("")
    layer = stem.with_name(f"{stem.name}.layer.png")
    for extension in _EXTENSIONS.values():
        background = stem.with_name(f"{stem.name}.background.{extension}")
        if background.is_file() and layer.is_file():
            return background
    return None


def kept_parts(record: ImageRecord) -> KeptParts | None:
    """The background and layer kept beside ``record``, or None when it is not a composite."""
    background = kept_background(record.path)
    return None if background is None else KeptParts(background, layer_path(record))
