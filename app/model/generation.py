"""Generate: queue a job, run it with ``JobRunner`` on the engine's loop, stream into the gallery.

Jobs start in the order they were asked for, ``concurrency`` of them at once (the setting "Jobs
at once"; each has its own request on the engine's loop). The spending cap is checked before a job
is queued, so a job over it is never sent. The runner's callbacks arrive on the engine's thread
and are relayed to the GUI thread by queued signals; every image is in the library before its
tile shows it (``JobRunner`` keeps it first).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.messages import MessageBridge
from app.core.plan import Plan
from app.engine.errors import (
    AuthenticationFailedError,
    ModerationBlockedError,
    RateLimitedError,
    RefusedError,
    ServiceError,
    TimedOutError,
    UnreachableError,
)
from app.model.gallery import GalleryModel
from app.model.job_queue import JobEntry, JobQueueModel
from app.model.properties import Observable
from app.model.tasks import EngineStop, TaskFunnel
from app.store.files import StoreError

if TYPE_CHECKING:  # the SDK loads with these: only once the window is shown (DESIGN §2)
    from app.engine.service import PartialImage
    from app.jobs.run import JobOutcome, JobRunner, SavedImage


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """Where jobs go: ``kind`` is local, openai or custom (``host`` names a custom service);
    ``chosen`` when the local engine was asked for, not taken for want of a key."""

    kind: str
    host: str = ""
    chosen: bool = False

    @property
    def local(self) -> bool:
        return self.kind == "local"


class _Relay(QObject):
    """Lives on the GUI thread; emitted from the engine's thread, so delivery is queued."""

    partial = Signal(int, object)
    image = Signal(int, object)
    note = Signal(int, str)
    recorded = Signal(int, str)  # entry id, the library's job id


def failure_of(error: ServiceError) -> tuple[str, str | None]:
    """A message code for a service error, and the action that helps (for the banner)."""
    if isinstance(error, AuthenticationFailedError):
        return "service.auth", "settings"
    if isinstance(error, ModerationBlockedError):
        return "service.moderation", None
    if isinstance(error, RateLimitedError):
        return "service.rate_limited", "local"  # drafts on this computer need no quota
    if isinstance(error, RefusedError):
        return "service.refused", None
    if isinstance(error, TimedOutError):
        return "service.timeout", "retry"
    if isinstance(error, UnreachableError):
        return "service.unreachable", "retry"
    return "service.failed", "retry"


class Generator(QObject):
    engine_changed = Signal(object)
    job_ended = Signal(int, object)  # queue entry id, its JobOutcome (None: cancelled, not saved)
    job_recorded = Signal(int, str)  # queue entry id, the library's job id (before it is sent)
    retried = Signal(int, int)  # the entry retried, the new entry
    engine: Observable[EngineInfo | None] = Observable(None)

    def __init__(
        self,
        funnel: TaskFunnel,
        messages: MessageBridge,
        queue: JobQueueModel,
        gallery: GalleryModel,
        *,
        spending_cap_usd: float | None = None,
        concurrency: int = 1,
    ) -> None:
        super().__init__()
        self._concurrency = max(1, concurrency)
        self._funnel = funnel
        self._messages = messages
        self.queue = queue
        self.gallery = gallery
        self.spending_cap_usd = spending_cap_usd
        # The monthly budget needs what the library says was spent this month: read on a worker
        # thread just before each billed job is sent (``spent_this_month`` is set with the library).
        self.monthly_budget_usd: float | None = None
        self.spent_this_month: Callable[[], float] | None = None
        self._budget_lock = asyncio.Lock()  # two jobs started together are checked one by one
        self._runner: JobRunner | None = None
        self._plans: dict[int, tuple[Plan, Mapping[str, Any]]] = {}
        self._job_options: dict[int, dict[str, Any]] = {}  # an edit's parent, exact text...
        self._running: dict[int, asyncio.Task[None]] = {}
        self._stops: dict[int, EngineStop] = {}
        self._job_ids: dict[int, str] = {}  # the library's job of each entry (engine thread)
        self._in_place: set[int] = set()  # entries whose retry resumes their library job
        self._resumes: dict[int, str] = {}  # entries that resume a library job: its id
        self._relay = _Relay()
        self._relay.partial.connect(self._partial)
        self._relay.image.connect(self._image)
        self._relay.note.connect(lambda _, note: messages.info("job.note", note=note))
        self._relay.recorded.connect(self.job_recorded)

    def set_engine(self, runner: JobRunner, info: EngineInfo) -> None:
        self._runner = runner
        self.engine = info
        self._pump()

    def generate(
        self,
        plan: Plan,
        spec_json: Mapping[str, Any],
        *,
        retry_in_place: bool = False,
        resume_job: str | None = None,
        **job_options: Any,
    ) -> JobEntry | None:
        """Queue a job for ``plan``; None (and a message saying why) when the cap refuses it.
        ``job_options`` go to ``JobRunner.run`` (``parent_image_id``, ``exact_text``...).
        ``retry_in_place``: a retry asks for the job's missing images under the same library
        job (an edit turn's versions stay that turn's), not for a new job. ``resume_job``: the
        library job whose missing images ``plan`` asks for."""
        local = self.engine.local if self.engine is not None else True
        usd = plan.cost.usd
        cap = self.spending_cap_usd
        if not local and cap is not None:
            if usd is None:
                self._messages.error("cap.unpriced", action="settings", model=plan.request.model)
                return None
            if usd > cap:
                self._messages.error("cap.exceeded", action="settings", usd=usd, cap=cap)
                return None
        request = plan.request
        entry = self.queue.add(
            n=request.n, size=request.size, quality=request.quality, model=request.model,
            local=local, estimated_usd=None if local else usd,
        )  # fmt: skip
        self._plans[entry.id] = (plan, spec_json)
        self._job_options[entry.id] = job_options
        if retry_in_place:
            self._in_place.add(entry.id)
        if resume_job is not None:
            self._resumes[entry.id] = resume_job
            self.queue.update(entry.id, job_id=resume_job)
        self.gallery.add_job(entry.id, request.n, quality=request.quality, local=local)
        self._pump()
        return entry

    def retry(self, entry_id: int) -> JobEntry | None:
        planned = self._plans.get(entry_id)
        options = self._job_options.get(entry_id, {})
        old = self.queue.entry(entry_id)
        if planned is None or old is None:
            return None
        if entry_id in self._in_place and old.job_id is not None and old.received < old.n:
            entry = self._resume(entry_id, old, *planned)
        else:
            entry = self.generate(*planned, retry_in_place=entry_id in self._in_place, **options)
        if entry is not None:
            self.retried.emit(entry_id, entry.id)
        return entry

    def _resume(
        self, entry_id: int, old: JobEntry, plan: Plan, spec_json: Mapping[str, Any]
    ) -> JobEntry | None:
        """Queue the missing images of ``old``'s library job (``app.jobs.resume``)."""
        missing = old.n - old.received
        cost = plan.cost
        # The estimate of the missing images: input is billed once per request, output per image.
        tokens = cost.input_tokens + cost.output_tokens_per_image * cost.n
        share = (cost.input_tokens + cost.output_tokens_per_image * missing) / max(1, tokens)
        usd = None if cost.usd is None else cost.usd * share
        resumed = dataclasses.replace(
            plan,
            request=dataclasses.replace(plan.request, n=missing),
            cost=dataclasses.replace(cost, n=missing, usd=usd),
        )
        options = self._job_options[entry_id]
        return self.generate(
            resumed, spec_json, retry_in_place=True, resume_job=old.job_id, **options
        )

    def cancel(self, entry_id: int) -> None:
        entry = self.queue.entry(entry_id)
        if entry is None or not entry.active:
            return
        task = self._running.get(entry_id)
        if task is not None:
            # Stopped where it runs, the job keeps what arrived and ends there before here
            # (its end marks it and its tiles); not sent yet, the waiting task is cancelled.
            stop = self._stops.get(entry_id)
            if stop is None or not stop.stop():
                task.cancel()
        else:
            self._end(entry_id, "cancelled", ("job.cancelled", {}))

    def cancel_all(self) -> None:
        """Stop every running and queued job; images that arrived are kept."""
        for entry in self.queue.entries():
            self.cancel(entry.id)

    @property
    def runner(self) -> JobRunner | None:
        """What runs jobs on the engine (None until the engine is loaded)."""
        return self._runner

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def concurrency(self) -> int:
        """How many jobs run at once; raising it starts queued jobs now, lowering it lets the
        running ones finish."""
        return self._concurrency

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self._concurrency = max(1, value)
        self._pump()

    def _pump(self) -> None:
        while self._runner is not None and len(self._running) < self._concurrency:
            entry = self.queue.next_queued()
            if entry is None:
                return
            self.queue.update(entry.id, state="running")
            self._running[entry.id] = self._funnel.run_task(
                self._run(self._runner, entry.id), failure_code="job.crashed"
            )

    async def _run(self, runner: JobRunner, entry_id: int) -> None:
        # loaded with the engine, after the window shows
        from app.jobs.resume import ResumeRefused, resume_recorded
        from app.jobs.run import JobCallbacks

        plan, spec_json = self._plans[entry_id]
        relay = self._relay
        loop = asyncio.get_running_loop()
        recorded = asyncio.Event()  # the library has the job (and counts its estimate)

        def on_job(job_id: str) -> None:  # on the engine's thread
            self._job_ids[entry_id] = job_id
            loop.call_soon_threadsafe(recorded.set)
            relay.recorded.emit(entry_id, job_id)

        callbacks = JobCallbacks(
            on_image=lambda image: relay.image.emit(entry_id, image),
            on_partial=lambda partial: relay.partial.emit(entry_id, partial),
            on_note=lambda note: relay.note.emit(entry_id, note),
            on_job=on_job,
        )
        options = self._job_options.get(entry_id, {})
        resumed = self._resumes.get(entry_id)
        self._stops[entry_id] = EngineStop()
        outcome = None
        try:
            if resumed is not None:
                job = resume_recorded(
                    runner, runner.library, resumed, callbacks,
                    paste_back=options.get("paste_back", True),
                    parent_image_id=options.get("parent_image_id"),
                )  # fmt: skip
            else:
                job = runner.run(plan, spec_json=spec_json, callbacks=callbacks, **options)
            outcome = await self._send_within_budget(entry_id, plan, job, recorded)
            if outcome is None:
                return
        except asyncio.CancelledError:
            # What arrived is kept under the library's job (when it was recorded).
            self.queue.update(entry_id, job_id=self._job_ids.get(entry_id, resumed))
            self._end(entry_id, "cancelled", ("job.cancelled", {}))
        except ResumeRefused as refused:
            self._messages.error("rerun.refused", reason=str(refused))
            self._end(entry_id, "failed", ("rerun.refused", {"reason": str(refused)}))
        except StoreError as error:
            self._messages.error("store.failed", reason=str(error))
            self._end(entry_id, "failed", ("store.failed", {"reason": str(error)}))
        else:
            self._finished(entry_id, outcome)
        finally:
            self._running.pop(entry_id, None)
            self._stops.pop(entry_id, None)
            self.job_ended.emit(entry_id, outcome)
            self._pump()

    async def _send_within_budget(
        self,
        entry_id: int,
        plan: Plan,
        job: Coroutine[Any, Any, JobOutcome],
        recorded: asyncio.Event,
    ) -> JobOutcome | None:
        """Run ``job``, unless it is billed and would take the month's spending over the
        budget: then it ends as refused, nothing sent, and None is returned.

        The library counts a recorded job at its estimate, so the budget is held (one job at a
        time) from the check until the job is recorded: two jobs started together cannot both
        slip under it."""
        budget, spent_reader = self.monthly_budget_usd, self.spent_this_month
        entry = self.queue.entry(entry_id)
        stop = self._stops.get(entry_id)
        if budget is None or spent_reader is None or entry is None or entry.local:
            return await self._funnel.engine_future(job, stop)
        usd = plan.cost.usd
        async with self._budget_lock:
            spent = await self._funnel.in_thread(spent_reader)
            if usd is None or spent + usd > budget:
                job.close()
                values = {"usd": usd, "budget": budget, "spent": spent}
                code = "budget.unpriced" if usd is None else "budget.exceeded"
                self._messages.error(code, action="settings", model=plan.request.model, **values)
                self._end(entry_id, "failed", (code, values))
                return None
            sending = self._funnel.engine_future(job, stop)
            waiting = asyncio.ensure_future(recorded.wait())
            try:
                ends: set[asyncio.Future[Any]] = {sending, waiting}
                await asyncio.wait(ends, return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:
                sending.cancel()  # Esc while waiting for the record: the job stops too
                raise
            finally:
                waiting.cancel()
        return await sending

    def _finished(self, entry_id: int, outcome: JobOutcome) -> None:
        self.queue.update(entry_id, job_id=outcome.job_id, actual_usd=outcome.actual_usd)
        if outcome.error is None:
            self._end(entry_id, "finished", ("job.incomplete", {}))
            return
        code, action = failure_of(outcome.error)
        if action == "local" and self.engine is not None and self.engine.local:
            action = "retry"
        values = {"detail": outcome.error.message, "entry": entry_id}
        self._messages.error(code, action=action, **values)
        self._end(entry_id, "failed", (code, values))

    def _end(self, entry_id: int, state: str, reason: tuple[str, dict[str, Any]]) -> None:
        self.queue.update(entry_id, state=state, reason=None if state == "finished" else reason)
        self.gallery.end_job(entry_id, "failed" if state == "finished" else state, reason)

    def _partial(self, entry_id: int, partial: PartialImage) -> None:
        self.gallery.show_partial((entry_id, partial.image_index), partial.data)

    def _image(self, entry_id: int, saved: SavedImage) -> None:
        entry = self.queue.entry(entry_id)
        record = saved.record
        actual = None
        if self._runner is not None and entry is not None:
            actual = self._runner.cost_of(entry.model, saved.usage)
        # A resumed job's images take its missing indexes; the tiles count them from 0.
        tile = entry.received if entry is not None and entry_id in self._resumes else saved.index
        self.gallery.finish(
            (entry_id, tile), path=record.path, image_id=record.id, width=record.width,
            height=record.height, actual_usd=actual,
        )  # fmt: skip
        if entry is not None:
            self.queue.update(entry_id, received=entry.received + 1)
