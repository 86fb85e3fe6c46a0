"""Exact-text mode in a job: each text-free background the model sends becomes a composite.

The typesetter sets the spec's blocks over the background (``app.typeset.compose``); the library
keeps the composite as the job's image, with the background and the text layer beside it. A
change of text later re-composites from the kept background with ``recompose``: no request, no
cost. Runs in worker threads; a QGuiApplication must exist (``ensure_gui_application`` on the
main thread first).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from app.core.spec import TextBlock
from app.store.exact_parts import kept_parts
from app.store.layered import encode_flat
from app.store.records import ImageRecord
from app.typeset.compose import Composition, compose

_SUFFIXES = {"png": ".png", "webp": ".webp", "jpeg": ".jpg"}


@dataclass(frozen=True, slots=True)
class CompositeParts:
    composite: bytes  # in the job's output format
    background: bytes  # as the model sent it
    layer: bytes  # PNG, transparent


def composite_parts(
    background: bytes, output_format: str, blocks: Sequence[TextBlock]
) -> CompositeParts:
    """The blocks set over ``background`` (image bytes), encoded for the library."""
    with Image.open(io.BytesIO(background)) as opened:
        composition = compose(opened, blocks)
    return CompositeParts(
        composite=encode_flat(composition.flat, _SUFFIXES[output_format], None),
        background=background,
        layer=encode_flat(composition.text, ".png", None),
    )


def recompose(record: ImageRecord, blocks: Sequence[TextBlock]) -> Composition:
    """A library composite set again with ``blocks`` over its kept background; sends nothing.

    Raises ValueError when the image has no kept background (it is not an exact-text image).
    """
    parts = kept_parts(record)
    if parts is None:
        raise ValueError(
            f"image {record.id} has no text-free background kept beside it: only images made "
            "in exact-text mode can be re-composited"
        )
    with Image.open(parts.background) as opened:
        return compose(opened, blocks)
