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
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.core.cost import actual_cost
from app.core.keying import remove_key_colour, with_key_colour
from app.core.metadata import embed_metadata, make_payload
from app.core.plan import Plan
from app.core.request import ImageRequest
from app.core.spec import SpecError, TextBlock
from app.core.spec_json import spec_from_dict
from app.engine.errors import MalformedAnswerError, RefusedError, ServiceError
from app.engine.service import (
    CompletedImage,
    ImageFailed,
    ImageService,
    PartialImage,
)
from app.jobs.exact_text import composite_parts
from app.jobs.masked import Honoured, honour_mask
from app.store.exact_parts import keep_parts
from app.store.files import StoreError
from app.store.library import Library
from app.store.records import ImageRecord

T = TypeVar("T")

TRANSPARENCY_FALLBACK_NOTE = (
    "The service refused a transparent background: asked for a flat magenta backdrop instead and "
    "removed it locally."
)


@dataclass(frozen=True, slots=True)
class SavedImage:
    record: ImageRecord
    index: int
    usage: Mapping[str, Any] | None
    changed_outside_pct: float | None = None
    """A masked edit: how many of the pixels outside the mask the model had changed (percent)."""


@dataclass(frozen=True, slots=True)
class JobOutcome:
    job_id: str
    images: tuple[SavedImage, ...]
    error: ServiceError | None
    usage: Mapping[str, Any] | None
    actual_usd: float | None
    notes: tuple[str, ...]
    not_saved: str | None = None
    """Why an image that arrived could not be saved (a full disk); what was kept is said too."""


@dataclass(frozen=True, slots=True)
class JobCallbacks:
    on_image: Callable[[SavedImage], object] = lambda image: None
    on_partial: Callable[[PartialImage], object] = lambda partial: None
    on_note: Callable[[str], object] = lambda note: None
    on_job: Callable[[str], object] = lambda job_id: None
    """Told the new job's id as soon as it is recorded (before anything is sent)."""


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


Spent = tuple[Mapping[str, Any] | None, float | None]
"""A job's usage and actual cost in dollars (either may be unknown)."""


def add_usage(
    first: Mapping[str, Any] | None, second: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """Two requests' usage together: every count added up (input is billed per request)."""
    if first is None or second is None:
        return None if first is None and second is None else dict(first or second or {})
    total = dict(first)
    for key, value in second.items():
        mine = total.get(key)
        if isinstance(value, Mapping):
            total[key] = add_usage(mine if isinstance(mine, Mapping) else None, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            total[key] = (mine if isinstance(mine, int | float) else 0) + value
        elif key not in total:
            total[key] = value
    return total


def add_spent(before: Spent | None, now: Spent) -> Spent:
    if before is None:
        return now
    (usage_before, usd_before), (usage_now, usd_now) = before, now
    usd = None if usd_before is None and usd_now is None else (usd_before or 0.0) + (usd_now or 0.0)
    return add_usage(usage_before, usage_now), usd


def refuses_transparency(error: ServiceError) -> bool:
    return isinstance(error, RefusedError) and (
        error.param == "background" or "transparen" in error.message.lower()
    )


def _fallback_request(request: ImageRequest) -> ImageRequest:
    fmt = request.output_format if request.output_format != "jpeg" else "png"
    return dataclasses.replace(
        request, prompt=with_key_colour(request.prompt), background="opaque", output_format=fmt
    )


@dataclass(slots=True)
class _Job:
    """What one running job has gathered so far."""

    id: str
    spec_json: Mapping[str, Any]
    parent_image_id: int | None
    callbacks: JobCallbacks
    indexes: tuple[int, ...] | None = None
    """The job's index of each image the request returns (a resumed job fills its gaps)."""
    spent_before: Spent | None = None
    """What earlier runs of this job spent (a resumed job); the library records the sum."""
    exact_text: tuple[TextBlock, ...] | None = None  # set over each background in this mode
    paste_back: bool = True
    """A masked edit: keep the original's pixels outside the mask (``app.jobs.masked``)."""
    saved: list[SavedImage] = field(default_factory=list)
    usages: list[Mapping[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def index_of(self, image_index: int) -> int | None:
        """The job's index for the request's ``image_index``-th image (None: not asked for)."""
        if self.indexes is None:
            return image_index
        return self.indexes[image_index] if image_index < len(self.indexes) else None


def exact_text_blocks(spec_json: Mapping[str, Any]) -> tuple[TextBlock, ...] | None:
    """The blocks to set over each image when the job's spec asks for exact text, else None."""
    if not spec_json.get("exact_text"):
        return None
    try:
        spec = spec_from_dict(spec_json).spec
    except SpecError:
        return None  # a spec the job was started with is valid; an unreadable one sets nothing
    return spec.texts or None


class JobRunner:
    """Runs jobs of one library on one service."""

    def __init__(
        self,
        *,
        service: ImageService,
        library: Library,
        engine_label: str,
        billed: bool = True,
        price_overrides: Mapping[str, Any] | None = None,
        price_factor: float = 1.0,
        send_spec: bool = False,
    ) -> None:
        self._service = service
        # The studio's own engine is sent each job's spec (``zi_spec``, CONTRACTS §3), so its
        # drafts set the typography; a real service never sees it.
        self._send_spec = send_spec
        self._price_factor = price_factor  # the Batch API bills half
        self._library = library
        self._engine = engine_label
        self._billed = billed  # the embedded engine reports usage like the service, but is free
        self.price_overrides = price_overrides  # the user's prices (settings), over the table

    async def run(
        self,
        plan: Plan,
        *,
        spec_json: Mapping[str, Any],
        parent_image_id: int | None = None,
        callbacks: JobCallbacks | None = None,
        paste_back: bool = True,
        exact_text: Sequence[TextBlock] | None = None,
    ) -> JobOutcome:
        """Run ``plan``; ``exact_text`` blocks are set over each image it brings (an edit's too:
        Fix text sets the exact text over the region the model cleared)."""
        request = plan.request
        job_id = self._library.create_job(
            kind=request.kind,
            request=request,
            engine=self._engine,
            spec=spec_json,
            estimated_usd=plan.cost.usd,
        )
        (callbacks or JobCallbacks()).on_job(job_id)
        self._library.mark_running(job_id)
        job = _Job(job_id, spec_json, parent_image_id, callbacks or JobCallbacks())
        job.paste_back = paste_back
        job.exact_text = None if exact_text is None else tuple(exact_text)
        return await self._execute(job, request)

    async def continue_job(
        self,
        job_id: str,
        request: ImageRequest,
        *,
        spec_json: Mapping[str, Any],
        callbacks: JobCallbacks | None = None,
        indexes: Sequence[int] | None = None,
    ) -> JobOutcome:
        """Run a recorded job the caller has marked running (one whose request went out in a
        Batch API batch: this service then answers with the batch's result). ``indexes``: the
        job's index of each image ``request`` asks for (the ones it lacks)."""
        job = _Job(job_id, spec_json, None, callbacks or JobCallbacks())
        job.indexes = None if indexes is None else tuple(indexes)
        return await self._execute(job, request)

    async def resume(
        self,
        job_id: str,
        request: ImageRequest,
        *,
        indexes: Sequence[int],
        spec_json: Mapping[str, Any],
        spent_before: Spent,
        parent_image_id: int | None = None,
        callbacks: JobCallbacks | None = None,
        paste_back: bool = True,
    ) -> JobOutcome:
        """Take up an ended job again: ``request`` asks for the images it lacks, which get the
        job's ``indexes`` in order (see ``app.jobs.resume``)."""
        if len(indexes) != request.n:
            raise ValueError(f"{len(indexes)} indexes for a request of n={request.n}")
        self._library.reopen_job(job_id)
        job = _Job(
            job_id, spec_json, parent_image_id, callbacks or JobCallbacks(),
            indexes=tuple(indexes), spent_before=spent_before, paste_back=paste_back,
        )  # fmt: skip
        return await self._execute(job, request)

    async def _execute(self, job: _Job, request: ImageRequest) -> JobOutcome:
        if job.exact_text is None and request.kind == "generate":
            job.exact_text = exact_text_blocks(job.spec_json)
        try:
            error = await self._attempt(job, request, keyed=False)
            if (
                error is not None
                and not job.saved
                and request.background == "transparent"
                and refuses_transparency(error)
            ):
                job.notes.append(TRANSPARENCY_FALLBACK_NOTE)
                job.callbacks.on_note(TRANSPARENCY_FALLBACK_NOTE)
                error = await self._attempt(job, _fallback_request(request), keyed=True)
        except asyncio.CancelledError:
            # The cancel wins even on a full disk (the job is then found interrupted at the next
            # start); what the images received cost is kept.
            with contextlib.suppress(StoreError):
                self._library.cancel_job(job.id)
                self._library.finish_job(job.id, *self._spent(job, request))
            raise
        except StoreError as disk_error:
            return self._not_saved(job, request, disk_error)
        usage = merge_usage(job.usages)
        cost = self.cost_of(request.model, usage)
        if error is None:
            self._library.finish_job(job.id, *self._spent(job, request))
        else:
            total_usage, total_cost = self._spent(job, request)
            self._library.fail_job(job.id, error.message, usage=total_usage, actual_usd=total_cost)
        return JobOutcome(job.id, tuple(job.saved), error, usage, cost, tuple(job.notes))

    def _spent(self, job: _Job, request: ImageRequest) -> Spent:
        """What the job has spent in all: earlier runs plus this one."""
        usage = merge_usage(job.usages)
        return add_spent(job.spent_before, (usage, self.cost_of(request.model, usage)))

    def _not_saved(self, job: _Job, request: ImageRequest, error: StoreError) -> JobOutcome:
        """A full or read-only disk stopped the job after the request was sent: the images kept
        stay, what was received is paid for and recorded (when the disk lets it), and the
        message says so."""
        usage = merge_usage(job.usages)
        cost = self.cost_of(request.model, usage)
        kept = len(job.saved)
        spent = " and what it cost is recorded" if self._billed else ""
        message = (
            f"{error.reason}. An image that arrived could not be saved; {kept} image(s) of job "
            f"{job.id[:8]} are kept in the library{spent}. 'zi-studio resume {job.id[:8]}' asks "
            "for the missing ones."
        )
        total_usage, total_cost = self._spent(job, request)
        with contextlib.suppress(StoreError):
            self._library.fail_job(job.id, message, usage=total_usage, actual_usd=total_cost)
        return JobOutcome(job.id, tuple(job.saved), None, usage, cost, tuple(job.notes), message)

    @property
    def library(self) -> Library:
        return self._library

    def cost_of(self, model: str, usage: Mapping[str, Any] | None) -> float | None:
        if not self._billed:
            return 0.0
        if usage is None:
            return None
        usd = actual_cost(model, usage, self.price_overrides)
        return None if usd is None else usd * self._price_factor

    async def _attempt(
        self, job: _Job, request: ImageRequest, *, keyed: bool
    ) -> ServiceError | None:
        """Send ``request`` once; keep its images; the error that ended it, if any."""
        service = self._service
        if self._send_spec and job.spec_json and hasattr(service, "with_extra_body"):
            spec = json.dumps(dict(job.spec_json), ensure_ascii=False)
            service = service.with_extra_body({"zi_spec": spec})
        call = service.edit if request.kind == "edit" else service.generate
        async with contextlib.aclosing(call(request)) as events:
            async for event in events:
                if isinstance(event, PartialImage):
                    job.callbacks.on_partial(event)
                elif isinstance(event, CompletedImage):
                    index = job.index_of(event.image_index)
                    if index is None:
                        return MalformedAnswerError(
                            "The service sent more images than were asked for; the others are kept."
                        )
                    await self._keep(job, event, index, request, keyed)
                elif isinstance(event, ImageFailed):
                    return event.error
        return None

    async def _keep(
        self, job: _Job, event: CompletedImage, index: int, request: ImageRequest, keyed: bool
    ) -> None:
        """Save ``event``'s image in the library, then tell the callbacks."""
        size = f"{event.width}x{event.height}"
        payload = make_payload(spec=job.spec_json, model=request.model, size=size, job_id=job.id)
        honoured: list[Honoured] = []

        def prepare_and_write() -> ImageRecord:
            data, fmt = event.data, event.output_format
            if keyed:
                data, fmt = remove_key_colour(data), "png"
            masked = honour_mask(request, data, fmt, index=index, paste=job.paste_back)
            if masked is not None:
                data, fmt = masked.data, masked.output_format
                honoured.append(masked)
            parts = None if job.exact_text is None else composite_parts(data, fmt, job.exact_text)
            kept = parts.composite if parts is not None else data
            record = self._library.add_image(
                job.id, index, embed_metadata(kept, payload),
                width=event.width, height=event.height, output_format=fmt,
                parent_image_id=job.parent_image_id,
            )  # fmt: skip
            if parts is not None:
                keep_parts(record, background=data, background_format=fmt, layer=parts.layer)
            return record

        # Encoding and the fsync'd write stay off the loop that streams the next image.
        saving = asyncio.ensure_future(asyncio.to_thread(prepare_and_write))
        try:
            record = await asyncio.shield(saving)
        except asyncio.CancelledError:
            # The thread cannot be stopped mid-write: let it finish and record the image (or fail
            # and remove its file), keep what it saved, then let the cancel end the job.
            with contextlib.suppress(StoreError):
                self._kept(job, event, await _outlast_cancels(saving))
            raise
        except StoreError:
            if event.usage:
                job.usages.append(event.usage)  # received, and billed, though not kept
            raise
        if honoured:
            job.notes.append(honoured[0].note)
            job.callbacks.on_note(honoured[0].note)
        self._kept(job, event, record, honoured[0].changed_outside_pct if honoured else None)

    def _kept(
        self, job: _Job, event: CompletedImage, record: ImageRecord, changed: float | None = None
    ) -> None:
        image = SavedImage(record, record.index_in_job, event.usage, changed)
        job.saved.append(image)
        if event.usage:
            job.usages.append(event.usage)
        job.callbacks.on_image(image)


async def _outlast_cancels(future: asyncio.Future[T]) -> T:
    """``future``'s result once it is done, however often the waiting task is cancelled."""
    while not future.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait({future})
    return future.result()
