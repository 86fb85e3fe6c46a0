"""A series (a spec's ``shots``, CONTRACTS §1): each shot as a spec of its own, and its reference.

Pure data: ``app.jobs.series`` makes the images; the embedded engine knows a reference by
``KEEP_THE_LOOK`` in the prompt (it then drafts from the reference's look, not over it).
"""

from __future__ import annotations

import dataclasses
from typing import Final

from app.core.spec import MAX_REFERENCES, Spec

KEEP_THE_LOOK: Final = (
    "Keep the same characters, palette and style as the reference image; change only what "
    "this shot describes."
)


def shot_spec(spec: Spec, index: int, reference: str | None = None) -> Spec:
    """Shot ``index`` as a spec of its own: the shot's description and texts over the spec's;
    with ``reference`` (every shot after the first), that image first among its references."""
    shot = spec.shots[index]
    description = shot.description if shot.description is not None else spec.description
    texts = shot.texts if shot.texts is not None else spec.texts
    references = spec.references
    if reference is not None:
        description = f"{description.rstrip()} {KEEP_THE_LOOK}".strip()
        references = (reference, *spec.references)[:MAX_REFERENCES]
    return dataclasses.replace(
        spec, description=description, texts=texts, references=references, shots=(), chain=None
    )


def reference_index(spec: Spec, index: int) -> int | None:
    """Which shot's image shot ``index`` carries: none for the first, else the first or the
    previous one, as the spec's ``chain`` says."""
    if index == 0:
        return None
    return index - 1 if spec.chain == "previous" else 0
