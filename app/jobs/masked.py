"""A masked edit's image, with the original pasted back outside the mask (``app.core.pasteback``).

Reads the edited image and the mask the request sent; runs in the job's worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.pasteback import PasteBackError, paste_back
from app.core.request import ImageRequest


@dataclass(frozen=True, slots=True)
class Honoured:
    data: bytes
    output_format: str
    changed_outside_pct: float | None
    note: str


def honour_mask(
    request: ImageRequest, data: bytes, output_format: str, *, index: int, paste: bool
) -> Honoured | None:
    """The image to keep for a masked edit, and what to tell the user; None without a mask."""
    if request.kind != "edit" or request.mask is None or not request.images:
        return None
    try:
        original = Path(request.images[0]).read_bytes()
        mask = Path(request.mask).read_bytes()
        result = paste_back(original, data, mask, paste=paste)
    except (OSError, PasteBackError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        note = f"image {index + 1}: kept as the model made it, not pasted back: {reason}"
        return Honoured(data, output_format, None, note)
    pct = result.changed_outside_pct
    if paste:
        note = (
            f"image {index + 1}: the model had changed {pct:.1f}% of the pixels outside the "
            "mask; the original's are kept there"
        )
        return Honoured(result.data, "png", pct, note)
    note = (
        f"image {index + 1}: the model changed {pct:.1f}% of the pixels outside the mask "
        "(kept: paste-back is off)"
    )
    return Honoured(data, output_format, pct, note)
