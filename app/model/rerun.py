"""Re-running an interrupted, cancelled or failed job from the library: only its missing images
are asked for (``app.jobs.resume``, as ``zi-studio resume`` does), and they stream into the
gallery like a new job's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.messages import MessageBridge
from app.model.gallery import GalleryModel
from app.model.generation import Generator, failure_of
from app.model.job_queue import JobQueueModel
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:
    from app.engine.service import PartialImage
    from app.jobs.resume import Resumption
    from app.jobs.run import SavedImage


class _Relay(QObject):
    partial = Signal(int, object, object)  # entry, resumption's missing indexes, PartialImage
    image = Signal(int, object, object)  # entry, missing indexes, SavedImage


class JobResumer(QObject):
    resumed = Signal(str)  # the job id, once its missing images are in (or it ended again)

    def __init__(
        self,
        funnel: TaskFunnel,
        messages: MessageBridge,
        queue: JobQueueModel,
        gallery: GalleryModel,
        generator: Generator,
        library: Any,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._messages = messages
        self._queue = queue
        self._gallery = gallery
        self._generator = generator
        self._library = library
        self._relay = _Relay()
        self._relay.partial.connect(self._partial)
        self._relay.image.connect(self._image)

    def rerun(self, job_id: str) -> None:
        self._funnel.run_task(self.run(job_id), failure_code="job.crashed")

    async def run(self, job_id: str) -> bool:
        """Plan the job's missing images, then ask for them; False (and a message) if refused."""
        from app.jobs.resume import ResumeRefused, plan_resume, resume_job
        from app.jobs.run import JobCallbacks

        library = self._library()
        runner = self._generator.runner
        if library is None or runner is None:
            self._messages.error("rerun.refused", reason="the engine is still starting")
            return False
        try:
            resumption: Resumption = await self._funnel.in_thread(plan_resume, library, job_id)
        except ResumeRefused as refused:
            self._messages.error("rerun.refused", reason=str(refused))
            return False
        request = resumption.request
        engine = self._generator.engine
        local = engine.local if engine is not None else True
        usd = resumption.estimate.usd if resumption.estimate is not None else None
        entry = self._queue.add(
            n=request.n, size=request.size, quality=request.quality, model=request.model,
            local=local, estimated_usd=None if local else usd, state="running",
        )  # fmt: skip
        self._gallery.add_job(entry.id, request.n, quality=request.quality, local=local)
        missing = resumption.missing
        relay = self._relay
        callbacks = JobCallbacks(
            on_image=lambda saved: relay.image.emit(entry.id, missing, saved),
            on_partial=lambda partial: relay.partial.emit(entry.id, missing, partial),
        )
        outcome = await self._funnel.on_engine(resume_job(runner, resumption, callbacks))
        self._queue.update(entry.id, job_id=outcome.job_id, actual_usd=outcome.actual_usd)
        if outcome.error is not None:
            code, action = failure_of(outcome.error)
            self._messages.error(code, action=action, detail=outcome.error.message)
            self._queue.update(entry.id, state="failed", reason=(code, {}))
            self._gallery.end_job(entry.id, "failed", (code, {}))
        else:
            self._queue.update(entry.id, state="finished")
            self._gallery.end_job(entry.id, "failed", ("job.incomplete", {}))
        self.resumed.emit(job_id)
        return outcome.error is None

    @staticmethod
    def _position(missing: tuple[int, ...], index: int) -> int:
        """The gallery tile of a job index (tiles count only the missing images)."""
        return missing.index(index) if index in missing else index

    def _partial(self, entry_id: int, missing: Any, partial: PartialImage) -> None:
        self._gallery.show_partial((entry_id, partial.image_index), partial.data)

    def _image(self, entry_id: int, missing: Any, saved: SavedImage) -> None:
        record = saved.record
        self._gallery.finish(
            (entry_id, self._position(tuple(missing), saved.index)), path=record.path,
            image_id=record.id, width=record.width, height=record.height,
        )  # fmt: skip
        entry = self._queue.entry(entry_id)
        if entry is not None:
            self._queue.update(entry_id, received=entry.received + 1)
