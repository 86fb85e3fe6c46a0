"""The rows panel's model: a CSV over the builder's spec, previewed, then run directly or batched.

Loading a table fills the builder's current spec with each row (``app.core.rows``): each row's
texts, estimate and problem are shown before anything is sent, with the total (halved for the
Batch API). A run sends the good rows only (the bad ones are left out, and the panel says so):
directly, N at a time (``app.jobs.row_run``), or as one Batch (``app.jobs.batch_run``) whose id
is in the library at once, so a batch left when the window closed is picked up at the next start.
Work runs on the engine's loop; its progress comes back through queued signals. The images fill
the gallery as a generation's do (``app.model.row_tiles``), each tile named by its row.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.batch_lines import BATCH_PRICE_FACTOR
from app.core.messages import MessageBridge
from app.core.plan import plan_generation
from app.core.rows import RowJob, Table, TableError, check_columns, plan_rows, read_table
from app.core.spec import Spec
from app.core.spec_json import spec_to_dict
from app.model.gallery import GalleryModel
from app.model.properties import Observable
from app.model.row_tiles import RowTiles, result_reason
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:  # the SDK loads with these, after the window is shown (DESIGN §2)
    from app.engine.batch_client import BatchClient
    from app.engine.service import PartialImage
    from app.jobs.batch_run import TakenRow
    from app.jobs.row_run import Progress, RowResult, RowTask
    from app.jobs.run import JobRunner, SavedImage
    from app.store.library import Library

Index = QModelIndex | QPersistentModelIndex
COLUMNS: Final = 4  # row, texts, estimate, status
ROW_ROLE: Final = Qt.ItemDataRole.UserRole + 1
MAX_TABLE_BYTES: Final = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RowPreview:
    """One row as the panel shows it."""

    row: int
    line: int
    texts: str
    usd: float | None
    problem: str | None
    state: str = "ready"  # ready, bad, running, done, failed
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class RunProgress:
    total: int = 0
    done: int = 0
    running: int = 0
    failed: int = 0
    usd: float = 0.0


class RowsTable(QAbstractTableModel):
    """The previewed rows; a view shows the columns, the panel words the headers."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RowPreview] = []
        self._headers: dict[int, str] = {}

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers.get(section, str(section + 1))
        return super().headerData(section, orientation, role)

    def setHeaderData(
        self,
        section: int,
        orientation: Qt.Orientation,
        value: Any,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> bool:
        """The view words the headers (in the user's language); the model keeps them."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return False
        self._headers[section] = str(value)
        self.headerDataChanged.emit(orientation, section, section)
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        preview = self._rows[index.row()]
        if role == ROW_ROLE:
            return preview
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return str(preview.row + 1)
            if column == 1:
                return preview.texts
            if column == 2:
                return "" if preview.usd is None else f"${preview.usd:.3f}"
            return preview.problem or preview.error or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return preview.problem or preview.error
        return None

    def rows(self) -> tuple[RowPreview, ...]:
        return tuple(self._rows)

    def reset_rows(self, rows: Sequence[RowPreview]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update(self, row: int, **changes: Any) -> None:
        for position, preview in enumerate(self._rows):
            if preview.row == row:
                self._rows[position] = dataclasses.replace(preview, **changes)
                self.dataChanged.emit(self.index(position, 0), self.index(position, COLUMNS - 1))
                return


class _Relay(QObject):
    """Emitted on the engine's thread, delivered on the GUI thread."""

    progress = Signal(object)
    row_state = Signal(int, str, object)
    batch = Signal(str)


class BatchModel(QObject):
    table_name_changed = Signal(str)
    total_usd_changed = Signal(object)
    bad_count_changed = Signal(int)
    via_changed = Signal(str)
    running_changed = Signal(bool)
    progress_changed = Signal(object)
    batch_id_changed = Signal(str)
    failed_count_changed = Signal(int)
    problem_changed = Signal(str)

    table_name = Observable("")
    total_usd: Observable[float | None] = Observable(None)
    bad_count = Observable(0)
    via = Observable("direct")
    running = Observable(False)
    progress: Observable[RunProgress] = Observable(RunProgress())
    batch_id = Observable("")
    failed_count = Observable(0)
    problem = Observable("")
    """Why the table cannot be used (the panel shows it), or empty."""

    def __init__(
        self,
        funnel: TaskFunnel,
        messages: MessageBridge,
        current_spec: Callable[[], Spec],
        gallery: GalleryModel,
        *,
        concurrency: int = 2,
        partial_images: Callable[[], int] = lambda: 0,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._messages = messages
        self._current_spec = current_spec
        self._partial_images = partial_images
        self.tiles = RowTiles(gallery)
        self.concurrency = concurrency
        self.limits = (50_000, 200 * 1024 * 1024)
        self.table = RowsTable()
        self._jobs: list[RowJob] = []
        self._table: Table | None = None
        self._results: list[RowResult] = []
        self._task: asyncio.Task[None] | None = None
        self._engine: tuple[JobRunner, BatchClient, Library, str, bool] | None = None
        self._relay = _Relay()
        self._relay.progress.connect(self._progress)
        self._relay.row_state.connect(self._row_state)
        self._relay.batch.connect(lambda batch_id: setattr(self, "batch_id", batch_id))

    def set_engine(
        self, runner: JobRunner, client: BatchClient, library: Library, label: str, billed: bool
    ) -> None:
        self._engine = (runner, client, library, label, billed)

    # Loading

    def load(self, path: Path) -> None:
        """Read ``path`` and preview every row over the builder's spec (small: on this thread)."""
        try:
            if path.stat().st_size > MAX_TABLE_BYTES:
                raise TableError(f"{path.name} is larger than 64 MB; split the table")
            table = read_table(path.read_bytes(), path.name)
            check_columns(self._current_spec(), table, what="the spec")
        except (TableError, OSError) as error:
            self.problem = str(error) if isinstance(error, TableError) else f"{path}: {error}"
            self.table.reset_rows([])
            self._jobs, self._table = [], None
            self.table_name, self.total_usd, self.bad_count = "", None, 0
            return
        self.problem = ""
        self.table_name = table.name
        self.preview(table)

    def preview(self, table: Table) -> None:
        self._table = table
        self._jobs = plan_rows(self._current_spec(), table, self._planner())
        self._results = []
        self.failed_count = 0
        self.table.reset_rows([_preview(job, self.via) for job in self._jobs])
        self._totals()

    def _planner(self) -> Callable[[Spec], Any]:
        """Direct rows stream their previews as a generation does; a batch's lines never do."""
        partials = self._partial_images() if self.via == "direct" else 0
        return lambda spec: plan_generation(spec, partial_images=partials, stream=partials > 0)

    def set_via(self, via: str) -> None:
        self.via = via
        if self._table is not None and not self.running:
            self.preview(self._table)
        else:
            self.table.reset_rows([_preview(job, via) for job in self._jobs])
            self._totals()

    def _totals(self) -> None:
        usable = [preview.usd for preview in self.table.rows() if preview.ok]
        known = [usd for usd in usable if usd is not None]
        self.total_usd = sum(known) if known else None
        self.bad_count = sum(1 for preview in self.table.rows() if not preview.ok)

    # Running

    def _tasks(self, jobs: Sequence[RowJob]) -> list[RowTask]:
        from app.jobs.row_run import RowTask

        return [
            RowTask(job.row.index, dict(job.row.values), job.plan, spec_to_dict(job.spec))
            for job in jobs
            if job.plan is not None and job.spec is not None
        ]

    def run(self) -> bool:
        """Send the good rows (the bad ones are left out); False when there is nothing to run."""
        tasks = self._tasks([job for job in self._jobs if job.ok])
        if not tasks or self._engine is None or self.running:
            return False
        if self.via == "direct":
            self._show_rows(tasks)  # a tile per requested image, at once
            self._start(self._direct(tasks))
        else:
            self._start(self._batch(tasks))
        return True

    def retry_failed(self) -> bool:
        failed = [result for result in self._results if result.failed]
        if not failed or self._engine is None or self.running:
            return False
        self._start(self._retry(failed))
        return True

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def resume_batches(self) -> None:
        """Take up the batches a closed window or a stopped command left (at start)."""
        if self._engine is not None:
            self._funnel.run_task(self._find_open_batches(), failure_code="store.failed")

    async def _find_open_batches(self) -> None:
        assert self._engine is not None
        library = self._engine[2]
        records = await self._funnel.in_thread(lambda: library.row_runs().open_batches())
        if records and not self.running:
            self._start(self._take_up(records))

    def _start(self, work: Any) -> None:
        self.running = True
        self._task = self._funnel.run_task(self._guarded(work), failure_code="job.crashed")

    async def _guarded(self, work: Any) -> None:
        try:
            await work
        except asyncio.CancelledError:
            pass
        finally:
            self.running = False

    def _direct_run(self) -> Any:
        from app.jobs.row_run import DirectRun

        assert self._engine is not None
        runner, _, library, _, _ = self._engine
        relay = self._relay

        tiles = self.tiles

        def on_progress(state: Progress) -> None:
            relay.progress.emit(
                RunProgress(state.total, state.done, state.running, state.failed, state.usd)
            )

        def on_image(task: RowTask, image: SavedImage) -> None:
            tiles.tell_image(task.row, image, runner.cost_of(task.plan.request.model, image.usage))
            relay.row_state.emit(task.row, "done", None)

        def on_partial(task: RowTask, partial: PartialImage) -> None:
            tiles.tell_partial(task.row, partial)

        def on_result(result: RowResult) -> None:
            tiles.tell_ended(result.task.row, result_reason(result))

        return DirectRun(
            library, lambda task: runner, concurrency=self.concurrency, on_progress=on_progress,
            on_image=on_image, on_partial=on_partial, on_result=on_result,
        )  # fmt: skip

    def _show_rows(self, tasks: list[RowTask]) -> None:
        assert self._engine is not None
        for task in tasks:
            self.table.update(task.row, state="running", error=None)
        rows = [(task.row, task.row, task.values, task.plan.request.n, task.plan.request.quality)
                for task in tasks]  # fmt: skip
        self.tiles.add_rows(rows, local=not self._engine[4])

    async def _direct(self, tasks: list[RowTask]) -> None:
        run = self._direct_run()
        try:
            self._results = await self._funnel.on_engine(run.run(tasks))
        except asyncio.CancelledError:
            self.tiles.cancel(task.row for task in tasks)
            raise
        self._ended(self._results)

    async def _retry(self, failed: list[RowResult]) -> None:
        for result in failed:
            self.table.update(result.task.row, state="running", error=None)
        self.tiles.reopen(result.task.row for result in failed)
        run = self._direct_run()
        try:
            retried = await self._funnel.on_engine(run.retry(failed))
        except asyncio.CancelledError:
            self.tiles.cancel(result.task.row for result in failed)
            raise
        again = {id(result.task): result for result in retried}
        self._results = [again.get(id(result.task), result) for result in self._results]
        self._ended(retried)

    def _ended(self, results: Sequence[RowResult]) -> None:
        for result in results:
            state = "failed" if result.failed else "done"
            self.table.update(result.task.row, state=state, error=result.error)
        self.failed_count = sum(1 for result in self._results if result.failed)

    async def _batch(self, tasks: list[RowTask]) -> None:
        from app.jobs.batch_run import BatchLimits, submit

        assert self._engine is not None
        _, client, library, label, _ = self._engine
        relay = self._relay
        limits = BatchLimits(*self.limits)
        for task in tasks:
            self.table.update(task.row, state="running", error=None)
        sending = submit(
            library, client, tasks, engine=label, base_url=None, limits=limits,
            on_submitted=lambda record: relay.batch.emit(record.id),
        )  # fmt: skip
        records = await self._funnel.on_engine(sending)
        for record in records:
            await self._follow_and_collect(record)

    async def _take_up(self, records: Sequence[Any]) -> None:
        for record in records:
            self.batch_id = record.id
            await self._follow_and_collect(record)

    async def _follow_and_collect(self, record: Any) -> None:
        from app.jobs.batch_run import Backoff, collect, follow
        from app.jobs.run import JobRunner

        assert self._engine is not None
        _, client, library, label, billed = self._engine
        relay = self._relay

        def on_state(state: Any) -> None:
            relay.progress.emit(RunProgress(state.total, state.completed,
                                            state.total - state.completed - state.failed,
                                            state.failed))  # fmt: skip

        def runner_for(service: Any) -> JobRunner:
            return JobRunner(service=service, library=library, engine_label=label, billed=billed,
                             price_factor=BATCH_PRICE_FACTOR)  # fmt: skip

        tiles, pricing = self.tiles, self._engine[0]
        models: dict[str, str] = {}  # each job's model, told before its images

        def on_row(taken: TakenRow) -> None:
            models[taken.job_id] = taken.model
            tiles.tell_taken(taken, local=not billed)

        def on_image(row: int | None, image: SavedImage) -> None:
            job_id = image.record.job_id
            usd = pricing.cost_of(models.get(job_id, ""), image.usage)
            tiles.tell_image(job_id, image, None if usd is None else usd * BATCH_PRICE_FACTOR)
            if row is not None:
                relay.row_state.emit(row, "done", None)

        async def work() -> Any:
            state = await follow(client, record.id, backoff=Backoff(first=1.0), on_state=on_state)
            tiles.tell_collecting()
            collected = await collect(
                library, client, record, state, runner_for, on_image=on_image, on_row=on_row
            )
            failures = {failed.job_id: failed.message for failed in collected.failed}
            for job_id in models:  # told after its images: the tiles still waiting failed
                failure = failures.get(job_id)
                reason = None if failure is None else ("row.failed", {"detail": failure})
                tiles.tell_ended(job_id, reason)
            return collected

        collected = await self._funnel.on_engine(work())
        for failed in collected.failed:
            if failed.row is not None:
                self.table.update(failed.row, state="failed", error=failed.message)
        self.failed_count += len(collected.failed)

    def _progress(self, progress: RunProgress) -> None:
        self.progress = progress

    def _row_state(self, row: int, state: str, error: object) -> None:
        self.table.update(row, state=state, error=error if isinstance(error, str) else None)


def _preview(job: RowJob, via: str) -> RowPreview:
    if job.spec is not None:
        texts = " · ".join(block.text for block in job.spec.texts) or job.spec.description
    else:  # the row's own values, an empty one as a dash
        texts = " · ".join(value or "—" for value in job.row.values.values())
    usd = job.plan.cost.usd if job.plan is not None else None
    if usd is not None and via == "batch":
        usd *= BATCH_PRICE_FACTOR
    state = "ready" if job.problem is None else "bad"
    return RowPreview(job.row.index, job.row.line, texts, usd, job.problem, state)
