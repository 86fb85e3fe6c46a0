"""Taking reference images in: read safely, convert where the API would refuse, keep a copy.

The window (drops, paste) and the command line (``--ref``) both come here, so an image is accepted,
converted or refused the same way everywhere, and the notes say what was done.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.core.reference_images import (
    Note,
    ReferenceRefused,
    check_reference_count,
    prepare_reference,
)
from app.store.references import ReferenceStore, read_reference

__all__ = ["Note", "ReferenceRefused", "TakenReference", "take_reference", "take_references"]


@dataclass(frozen=True, slots=True)
class TakenReference:
    """A reference ready to send: the library's copy, its size, and what was done to it."""

    path: Path  # the kept copy in the library; send this one
    source: Path | None  # the file it came from (None for dropped or pasted image data)
    width: int
    height: int
    notes: tuple[Note, ...]


def take_reference(
    store: ReferenceStore,
    source: Path | bytes,
    *,
    count_before: int = 0,
    editing: bool = False,
) -> TakenReference:
    """Check, convert and keep one reference (a file, or raw image data dropped or pasted).

    ``count_before`` is how many references the job holds already: the one over the limit (16, or
    15 beside an edited image) is refused. Raises ``ReferenceRefused`` with the reason.
    """
    check_reference_count(count_before + 1, editing=editing)
    data = read_reference(source) if isinstance(source, Path) else source
    prepared = prepare_reference(data)
    path = store.keep(prepared.data, prepared.extension)
    origin = source if isinstance(source, Path) else None
    return TakenReference(path, origin, prepared.width, prepared.height, prepared.notes)


def take_references(
    store: ReferenceStore, sources: Sequence[Path], *, editing: bool = False
) -> list[TakenReference]:
    """Every reference of a job, in order; the first refusal stops (``ReferenceRefused``)."""
    taken: list[TakenReference] = []
    for source in sources:
        taken.append(take_reference(store, source, count_before=len(taken), editing=editing))
    return taken
