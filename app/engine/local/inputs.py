"""The images and mask of an edit: checked as the image API checks them, then decoded.

Up to 16 images, each png, webp or jpeg and under 50 MB; an optional mask, a PNG under 4 MB of the
same size as the first image. Decoding runs in a worker thread (a QGuiApplication must exist).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader

from app.core.models import MAX_INPUT_EDGE, MAX_INPUT_IMAGES, MAX_INPUT_PIXELS
from app.engine.local.errors import invalid

MAX_IMAGE_BYTES: Final = 50 * 1024 * 1024
MAX_MASK_BYTES: Final = 4 * 1024 * 1024
IMAGE_TYPES: Final = ("png", "jpeg", "webp")
# Room for the largest input at four bytes a pixel (Qt's default of 256 MB is just short of it).
_ALLOCATION_LIMIT_MB: Final = MAX_INPUT_PIXELS * 4 // (1024 * 1024) + 64
_GREY_FORMATS: Final = (QImage.Format.Format_Grayscale8, QImage.Format.Format_Grayscale16)
_DECLARED_OK: Final = frozenset(
    {"image/png", "image/jpeg", "image/jpg", "image/webp", "application/octet-stream", ""}
)


@dataclass(frozen=True, slots=True)
class Upload:
    """One file part of a multipart request, as received."""

    data: bytes
    filename: str | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class EditInputs:
    images: tuple[QImage, ...]
    mask: QImage | None

    @property
    def sizes(self) -> tuple[tuple[int, int], ...]:
        return tuple((image.width(), image.height()) for image in self.images)


def sniff(data: bytes) -> str | None:
    """The image type from the first bytes: png, jpeg, webp, another name, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    return None


def _decode(data: bytes, kind: str, name: str, param: str) -> QImage | None:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, kind.encode())
    reader.setAutoTransform(True)
    reader.setAllocationLimit(_ALLOCATION_LIMIT_MB)
    size = reader.size()
    if size.width() * size.height() > MAX_INPUT_PIXELS:
        raise invalid(
            f"Invalid file {name}: {size.width()}x{size.height()} is more than the "
            f"{MAX_INPUT_PIXELS:,} pixels ({MAX_INPUT_EDGE}x{MAX_INPUT_EDGE}) an image may have.",
            param,
            "image_too_large",
        )
    image = reader.read()
    buffer.close()
    return None if image.isNull() else image


def _image(upload: Upload, number: int, param: str, allowed: Sequence[str]) -> QImage:
    name = f"'{upload.filename}'" if upload.filename else f"{param} {number}"
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    kind = sniff(upload.data)
    if kind is None or kind not in allowed or declared not in _DECLARED_OK:
        shown = kind or declared or "unknown"
        raise invalid(
            f"Invalid file {name}: unsupported format ({shown}). Supported formats are "
            f"{', '.join(repr(t) for t in allowed)}.",
            param,
            "invalid_image_format",
        )
    image = _decode(upload.data, kind, name, param)
    if image is None:
        raise invalid(
            f"Invalid file {name}: it could not be decoded as {kind}. Check the image file.",
            param,
            "invalid_image",
        )
    return image


def _mask_alpha(mask: QImage) -> QImage:
    """The mask's alpha (0 = editable) as an Alpha8 image; a grey mask's grey is its alpha."""
    if mask.hasAlphaChannel():
        return mask.convertToFormat(QImage.Format.Format_Alpha8)
    if mask.format() in _GREY_FORMATS:  # a greyscale file (L), not an RGB one that looks grey
        alpha = mask.convertToFormat(QImage.Format.Format_Grayscale8)
        alpha.reinterpretAsFormat(QImage.Format.Format_Alpha8)  # both one byte per pixel
        return alpha
    raise invalid(
        "Invalid mask: it must have an alpha channel (RGBA, LA or L); fully transparent areas "
        "mark where the image is edited.",
        "mask",
        "invalid_image_format",
    )


def decode_inputs(images: Sequence[Upload], mask: Upload | None) -> EditInputs:
    """The decoded images and mask; ``ApiError`` (400) for anything the API would refuse."""
    if not images:
        raise invalid("Missing required parameter: 'image'.", "image", "missing_required_parameter")
    if len(images) > MAX_INPUT_IMAGES:
        raise invalid(
            f"Invalid 'image': array too long. Expected an array with maximum length "
            f"{MAX_INPUT_IMAGES}, but got an array with length {len(images)} instead.",
            "image",
            "array_above_max_length",
        )
    for number, upload in enumerate(images, start=1):
        if len(upload.data) > MAX_IMAGE_BYTES:
            raise invalid(
                f"Image {number} is {len(upload.data):,} bytes: each image must be under 50 MB.",
                "image",
                "image_too_large",
            )
    if mask is not None and len(mask.data) > MAX_MASK_BYTES:
        raise invalid(
            f"The mask is {len(mask.data):,} bytes: it must be under 4 MB.",
            "mask",
            "image_too_large",
        )
    decoded = tuple(
        _image(upload, number, "image", IMAGE_TYPES) for number, upload in enumerate(images, 1)
    )
    mask_image = None
    if mask is not None:
        mask_image = _mask_alpha(_image(mask, 1, "mask", ("png",)))
        first = decoded[0]
        if mask_image.size() != first.size():
            raise invalid(
                f"Invalid mask: its size ({mask_image.width()}x{mask_image.height()}) must be "
                f"the same as the first image's ({first.width()}x{first.height()}).",
                "mask",
                "invalid_mask_size",
            )
    return EditInputs(decoded, mask_image)


def json_edit_images(
    images: object, mask: object, read_file: Callable[[str], bytes]
) -> tuple[list[Upload], Upload | None]:
    """The images (and mask) of a JSON edit body, as uploads: each ``{"file_id"}`` read with
    ``read_file``, each ``{"image_url"}`` a base64 data URL (this engine fetches no links).
    ``ApiError`` (400, or 404 for an unknown file) for what the API would refuse."""
    if images is None:
        raise invalid(
            "Missing required parameter: 'images'.", "images", "missing_required_parameter"
        )
    if not isinstance(images, list) or not images:
        raise invalid("Invalid 'images': expected a non-empty array of image references.", "images")
    uploads = [
        _referenced(item, f"images[{number}]", read_file) for number, item in enumerate(images)
    ]
    return uploads, None if mask is None else _referenced(mask, "mask", read_file)


def _referenced(item: object, param: str, read_file: Callable[[str], bytes]) -> Upload:
    if not isinstance(item, dict) or len(item.keys() & {"file_id", "image_url"}) != 1:
        raise invalid(f"Invalid '{param}': give exactly one of 'file_id' or 'image_url'.", param)
    file_id = item.get("file_id")
    if file_id is not None:
        if not isinstance(file_id, str):
            raise invalid(f"Invalid '{param}.file_id': expected a string.", param)
        return Upload(read_file(file_id), file_id)
    url = item.get("image_url")
    if not isinstance(url, str) or not url.startswith("data:") or ";base64," not in url:
        raise invalid(
            f"Invalid '{param}.image_url': the local engine fetches no links; give a base64 data "
            "URL or the 'file_id' of an uploaded file.",
            param,
        )
    header, _, encoded = url.partition(";base64,")
    try:
        data = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise invalid(f"Invalid '{param}.image_url': the data URL is not base64.", param) from None
    return Upload(data, None, header.removeprefix("data:"))
