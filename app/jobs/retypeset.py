"""An exact-text image set again with new texts: a new version, made locally, sending nothing.

When the designer changes a text, a box or a block's look, the composite the gallery shows is
set again over the kept text-free background (``app.jobs.exact_text.recompose``) and kept as a
child version of the image it replaces: a job of its own that costs nothing, with a turn of kind
``retypeset`` saying what changed (``app.core.text_changes``), its spec (the
parent's, with the new texts) embedded in the file, the same background file linked beside it
(not copied) and its own new text layer. Runs in a worker thread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from app.core.metadata import embed_metadata, make_payload
from app.core.spec import Spec, SpecError, TextBlock
from app.core.spec_json import spec_from_dict, spec_to_dict
from app.core.text_changes import describe, text_changes
from app.jobs.exact_text import recompose
from app.store.exact_parts import KeptParts, keep_shared_parts, kept_parts
from app.store.files import StoreError
from app.store.layered import encode_flat
from app.store.library import Library
from app.store.records import ImageRecord, JobRecord

_SUFFIXES = {"png": ".png", "webp": ".webp", "jpeg": ".jpg"}


def _texts_of(spec: Mapping[str, Any] | None) -> tuple[TextBlock, ...] | None:
    try:
        return spec_from_dict(spec or {}).spec.texts
    except SpecError:
        return None


def retypeset_spec(spec: Mapping[str, Any] | None, blocks: Sequence[TextBlock]) -> dict[str, Any]:
    """``spec`` (a job's, as stored) with ``blocks`` as its texts."""
    data = dict(spec or {"version": 1})
    data["texts"] = spec_to_dict(Spec(texts=tuple(blocks)))["texts"]
    return data


def _exact_text_image(
    library: Library, image_id: int
) -> tuple[ImageRecord, KeptParts, JobRecord] | None:
    """The image, its kept parts and its job, when it is an exact-text composite: a job in
    exact-text mode (a Fix-text image keeps a background too, but the model drew the other
    texts on it) with a background kept beside it."""
    image = library.image(image_id)
    if image is None or image.in_trash:
        return None
    job = library.job(image.job_id)
    if job is None or not (job.spec or {}).get("exact_text"):
        return None
    parts = kept_parts(image)
    return None if parts is None else (image, parts, job)


def is_exact_text_image(library: Library, image_id: int) -> bool:
    return _exact_text_image(library, image_id) is not None


def save_retypeset(
    library: Library, image_id: int, blocks: Sequence[TextBlock]
) -> ImageRecord | None:
    """Image ``image_id`` set again with ``blocks``, kept as its child version; None when it is
    not an exact-text image (no kept background) or already has exactly these texts."""
    found = _exact_text_image(library, image_id)
    if found is None:
        return None
    parent, parts, job = found
    before = _texts_of(job.spec)
    if before == tuple(blocks):
        return None
    composition = recompose(parent, blocks)
    spec = retypeset_spec(job.spec, blocks)
    width, height = composition.flat.size
    composite = encode_flat(composition.flat, _SUFFIXES[parent.output_format], None)
    layer = encode_flat(composition.text, ".png", None)
    # A job of one image that is already there: nothing to resume if the studio stops here.
    request = dataclasses.replace(job.request, n=1)
    job_id = library.create_job(
        kind=job.kind, request=request, engine=job.engine, spec=spec, estimated_usd=0.0
    )
    try:
        library.mark_running(job_id)
        payload = make_payload(
            spec=spec, model=request.model, size=f"{width}x{height}", job_id=job_id
        )
        record = library.add_image(
            job_id, 0, embed_metadata(composite, payload),
            width=width, height=height, output_format=parent.output_format,
            parent_image_id=parent.id,
        )  # fmt: skip
        keep_shared_parts(record, background=parts.background, layer=layer)
    except StoreError as error:
        library.fail_job(job_id, str(error), actual_usd=0.0)
        raise
    library.finish_job(job_id, None, 0.0)
    # Its turn in the conversation: what changed, in words (found by library search too).
    library.versions.record_turn(
        job_id, kind="retypeset", instruction=describe(text_changes(before or (), blocks)),
        source_image_id=parent.id,
    )  # fmt: skip
    library.versions.set_current(record.id)  # the edit panel's next turn edits what is shown
    return record
