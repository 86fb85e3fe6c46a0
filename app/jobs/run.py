"""One job end to end: send the request, keep every image that comes back, record what it cost.

Shared by the command line and the window. Every completed image is written to the library
(atomically, with the spec embedded) before anyone is told about it; a failure after some images
keeps them; a cancel marks the job cancelled. Where a service refuses a transparent background,
the job asks for a flat key colour instead and removes it locally, and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.cost import actual_cost
from app.core.keying import remove_key_colour, with_key_colour
from app.core.metadata import embed_metadata, make_payload
from app.core.plan import Plan
from app.core.request import ImageRequest
from app.engine.errors import RefusedError, ServiceError
from app.engine.service import (
    CompletedImage,
    ImageEvent,
    ImageFailed,
    ImageService,
    PartialImage,
)
from app.store.library import Library
from app.store.records import ImageRecord

TRANSPARENCY_FALLBACK_NOTE = (
    "The service refused a transparent background: asked for a flat magenta backdrop instead and "
    "removed it locally."
)


@dataclass(frozen=True, slots=True)
class SavedImage:
    record: ImageRecord
    index: int
    usage: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class JobOutcome:
    job_id: str
    images: tuple[SavedImage, ...]
    error: ServiceError | None
    usage: Mapping[str, Any] | None
    actual_usd: float | None
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JobCallbacks:
    on_image: Callable[[SavedImage], object] = lambda image: None
    on_partial: Callable[[PartialImage], object] = lambda partial: None
    on_note: Callable[[str], object] = lambda note: None


def merge_usage(usages: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """One request's usage from its completed events: input counted once, outputs added up."""
    if not usages:
        return None
    if len(usages) == 1:
        return dict(usages[0])
    first = max(usages, key=lambda u: int(u.get("input_tokens") or 0))
    output = sum(int(u.get("output_tokens") or 0) for u in usages)
    merged = dict(first)
    merged["output_tokens"] = output
    merged["total_tokens"] = int(first.get("input_tokens") or 0) + output
    return merged


def refuses_transparency(error: ServiceError) -> bool:
    return isinstance(error, RefusedError) and (
        error.param == "background" or "transparen" in error.message.lower()
    )


def _fallback_request(request: ImageRequest) -> ImageRequest:
    fmt = request.output_format if request.output_format != "jpeg" else "png"
    return dataclasses.replace(
        request, prompt=with_key_colour(request.prompt), background="opaque", output_format=fmt
    )


class JobRunner:
    """Runs jobs of one library on one service."""

    def __init__(
        self, *, service: ImageService, library: Library, engine_label: str, billed: bool = True
    ) -> None:
        self._service = service
        self._library = library
        self._engine = engine_label
        self._billed = billed  # the embedded engine reports usage like the service, but is free

    async def run(
        self,
        plan: Plan,
        *,
        spec_json: Mapping[str, Any],
        parent_image_id: int | None = None,
        callbacks: JobCallbacks | None = None,
    ) -> JobOutcome:
        callbacks = callbacks or JobCallbacks()
        request = plan.request
        job_id = self._library.create_job(
            kind=request.kind,
            request=request,
            engine=self._engine,
            spec=spec_json,
            estimated_usd=plan.cost.usd,
        )
        self._library.mark_running(job_id)
        saved: list[SavedImage] = []
        usages: list[Mapping[str, Any]] = []
        notes: list[str] = []
        try:
            error = await self._attempt(
                job_id, request, spec_json, parent_image_id, callbacks, saved, usages, keyed=False
            )
            wants_transparency = request.background == "transparent"
            if (
                error is not None
                and not saved
                and wants_transparency
                and refuses_transparency(error)
            ):
                notes.append(TRANSPARENCY_FALLBACK_NOTE)
                callbacks.on_note(TRANSPARENCY_FALLBACK_NOTE)
                error = await self._attempt(
                    job_id, _fallback_request(request), spec_json, parent_image_id, callbacks,
                    saved, usages, keyed=True,
                )  # fmt: skip
        except asyncio.CancelledError:
            self._library.cancel_job(job_id)
            raise
        usage = merge_usage(usages)
        cost = self.cost_of(request.model, usage)
        if error is None:
            self._library.finish_job(job_id, usage, cost)
        else:
            self._library.fail_job(job_id, error.message)
        return JobOutcome(job_id, tuple(saved), error, usage, cost, tuple(notes))

    def cost_of(self, model: str, usage: Mapping[str, Any] | None) -> float | None:
        if not self._billed:
            return 0.0
        return None if usage is None else actual_cost(model, usage)

    async def _attempt(
        self,
        job_id: str,
        request: ImageRequest,
        spec_json: Mapping[str, Any],
        parent_image_id: int | None,
        callbacks: JobCallbacks,
        saved: list[SavedImage],
        usages: list[Mapping[str, Any]],
        *,
        keyed: bool,
    ) -> ServiceError | None:
        call = self._service.edit if request.kind == "edit" else self._service.generate
        async with contextlib.aclosing(call(request)) as events:
            return await self._consume(
                events, job_id, request, spec_json, parent_image_id, callbacks, saved, usages,
                keyed=keyed,
            )  # fmt: skip

    async def _consume(
        self,
        events: AsyncGenerator[ImageEvent, None],
        job_id: str,
        request: ImageRequest,
        spec_json: Mapping[str, Any],
        parent_image_id: int | None,
        callbacks: JobCallbacks,
        saved: list[SavedImage],
        usages: list[Mapping[str, Any]],
        *,
        keyed: bool,
    ) -> ServiceError | None:
        async for event in events:
            if isinstance(event, PartialImage):
                callbacks.on_partial(event)
            elif isinstance(event, CompletedImage):
                image = await self._keep(job_id, event, spec_json, request, parent_image_id, keyed)
                saved.append(image)
                if event.usage:
                    usages.append(event.usage)
                callbacks.on_image(image)
            elif isinstance(event, ImageFailed):
                return event.error
        return None

    async def _keep(
        self,
        job_id: str,
        event: CompletedImage,
        spec_json: Mapping[str, Any],
        request: ImageRequest,
        parent_image_id: int | None,
        keyed: bool,
    ) -> SavedImage:
        payload = make_payload(
            spec=spec_json, model=request.model, size=f"{event.width}x{event.height}", job_id=job_id
        )

        def prepare_and_write() -> ImageRecord:
            data, fmt = event.data, event.output_format
            if keyed:
                data, fmt = remove_key_colour(data), "png"
            return self._library.add_image(
                job_id, event.image_index, embed_metadata(data, payload),
                width=event.width, height=event.height, output_format=fmt,
                parent_image_id=parent_image_id,
            )  # fmt: skip

        record = await asyncio.to_thread(prepare_and_write)
        return SavedImage(record, event.image_index, event.usage)
