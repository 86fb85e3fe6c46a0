"""Writing a composition: a flat PNG, WebP or JPEG, a layered PSD, or OpenRaster (CONTRACTS §2).

Layered files hold the background as the bottom layer and one layer per text block above it,
named ``ROLE: TEXT``, in the spec's order. PSD is written with ``psd-tools`` (its ``PixelLayer``
writes pixel layers and the merged preview); OpenRaster is a zip with ``stack.xml`` as its
specification describes. Every file is written atomically.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import quoteattr

from PIL import Image

from app.core.metadata import embed_metadata
from app.store.files import write_atomic

FLAT_FORMATS: Final = {".png": "PNG", ".webp": "WEBP", ".jpg": "JPEG", ".jpeg": "JPEG"}
LAYERED_FORMATS: Final = (".psd", ".ora")
BACKGROUND_LAYER: Final = "background"
_ORA_THUMBNAIL: Final = 256


class LayeredFileError(ValueError):
    """A file that cannot be written as asked; the message says what to do."""


def output_kind(path: Path) -> str:
    """The lower-case suffix that picks what is written; refuses the others with a message."""
    suffix = path.suffix.lower()
    if suffix not in FLAT_FORMATS and suffix not in LAYERED_FORMATS:
        raise LayeredFileError(
            f"{path.name}: cannot tell what to write from '{suffix or 'no extension'}'; end the "
            "name in .png, .webp, .jpg, .psd or .ora"
        )
    return suffix


def encode_flat(image: Image.Image, suffix: str, payload: Mapping[str, Any] | None) -> bytes:
    """The flat image as PNG (RGBA), WebP or JPEG, carrying ``payload`` when given."""
    buffer = io.BytesIO()
    fmt = FLAT_FORMATS[suffix]
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, fmt, quality=92)
    elif fmt == "WEBP":
        image.save(buffer, fmt, quality=92)
    else:
        image.save(buffer, fmt, compress_level=4)
    data = buffer.getvalue()
    return data if payload is None else embed_metadata(data, payload)


Layer = tuple[str, Image.Image, tuple[int, int]]
"""A layer's name, its RGBA pixels, and the left, top of where they go."""


def encode_psd(size: tuple[int, int], layers: Sequence[Layer]) -> bytes:
    """A Photoshop file of ``size`` with ``layers``, bottom first."""
    from psd_tools import PSDImage
    from psd_tools.api.layers import PixelLayer

    document = PSDImage.new("RGBA", size)
    for name, image, (left, top) in layers:
        layer = PixelLayer.frompil(image.convert("RGBA"), document, "layer", top, left)
        layer.name = name  # set afterwards: the Unicode name goes into its own record
        document.append(layer)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def encode_ora(size: tuple[int, int], layers: Sequence[Layer], merged: Image.Image) -> bytes:
    """An OpenRaster file: stack.xml lists the layers top first; every layer is a PNG."""
    width, height = size
    entries = []
    pngs: list[tuple[str, bytes]] = []
    for number, (name, image, (left, top)) in enumerate(layers):
        source = f"data/layer{number}.png"
        pngs.append((source, _png(image)))
        entries.append(
            f'<layer name={quoteattr(name)} src={quoteattr(source)} x="{left}" y="{top}" '
            'opacity="1.0" visibility="visible"/>'
        )
    stack = (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<image version="0.0.5" w="{width}" h="{height}"><stack>'
        + "".join(reversed(entries))
        + "</stack></image>\n"
    )
    thumbnail = merged.copy()
    thumbnail.thumbnail((_ORA_THUMBNAIL, _ORA_THUMBNAIL))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed, so the file can be recognised by its start.
        archive.writestr("mimetype", "image/openraster", compress_type=zipfile.ZIP_STORED)
        archive.writestr("stack.xml", stack, compress_type=zipfile.ZIP_DEFLATED)
        for source, data in pngs:
            archive.writestr(source, data, compress_type=zipfile.ZIP_STORED)
        archive.writestr("mergedimage.png", _png(merged), compress_type=zipfile.ZIP_STORED)
        archive.writestr("Thumbnails/thumbnail.png", _png(thumbnail))
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=4)
    return buffer.getvalue()


def write_composition(
    path: Path,
    *,
    background: Image.Image,
    text_layers: Sequence[Layer],
    flat: Image.Image,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """Writes ``path``: the flat image, or the layers (background first) as PSD or OpenRaster."""
    suffix = output_kind(path)
    layers: list[Layer] = [(BACKGROUND_LAYER, background, (0, 0)), *text_layers]
    if suffix == ".psd":
        data = encode_psd(background.size, layers)
    elif suffix == ".ora":
        data = encode_ora(background.size, layers, flat)
    else:
        data = encode_flat(flat, suffix, payload)
    write_atomic(path, data)
