"""The series strip's model: a spec with ``shots``, made shot after shot (``app.jobs.series``).

Each shot is a row, in order, with its state and, once made, its image. A shot can be made again
alone, from the same reference the series gave it (the first shot's image, or the previous
one's); the series is exported as numbered files. Work runs on the engine's loop.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader

from app.core.plan import Plan, plan_generation
from app.core.spec import Spec, SpecError
from app.core.spec_json import load_spec, spec_to_dict
from app.model.properties import Observable
from app.model.tasks import TaskFunnel

if TYPE_CHECKING:  # the SDK loads with these, after the window is shown (DESIGN §2)
    from app.jobs.run import JobRunner, SavedImage

Index = QModelIndex | QPersistentModelIndex
SHOT_ROLE: Final = Qt.ItemDataRole.UserRole + 1
THUMB_EDGE: Final = 160


@dataclass(frozen=True, slots=True)
class ShotEntry:
    index: int
    label: str
    state: str = "waiting"  # waiting, running, done, failed
    path: Path | None = None
    size: tuple[int, int] | None = None
    thumbnail: QImage | None = None
    error: str | None = None


def _label(spec: Spec, index: int) -> str:
    shot = spec.shots[index]
    texts = shot.texts if shot.texts is not None else spec.texts
    return " · ".join(block.text for block in texts) or (shot.description or spec.description)


def _thumbnail(path: Path) -> QImage:
    """A small picture of a shot, read scaled (off the GUI thread)."""
    reader = QImageReader(str(path))
    size = reader.size()
    if size.isValid():
        scale = THUMB_EDGE / max(size.width(), size.height())
        reader.setScaledSize(QSize(round(size.width() * scale), round(size.height() * scale)))
    return reader.read()


class ShotList(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._shots: list[ShotEntry] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shots)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shots):
            return None
        shot = self._shots[index.row()]
        if role == SHOT_ROLE:
            return shot
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{shot.index + 1}. {shot.label}"
        if role == Qt.ItemDataRole.DecorationRole:
            return shot.thumbnail
        if role == Qt.ItemDataRole.ToolTipRole:
            return shot.error
        return None

    def shots(self) -> tuple[ShotEntry, ...]:
        return tuple(self._shots)

    def reset_shots(self, shots: Sequence[ShotEntry]) -> None:
        self.beginResetModel()
        self._shots = list(shots)
        self.endResetModel()

    def update(self, index: int, **changes: Any) -> None:
        self._shots[index] = dataclasses.replace(self._shots[index], **changes)
        self.dataChanged.emit(self.index(index), self.index(index))


class _Relay(QObject):
    image = Signal(int, object)


class SeriesModel(QObject):
    name_changed = Signal(str)
    chain_changed = Signal(str)
    running_changed = Signal(bool)
    problem_changed = Signal(str)

    name = Observable("")
    chain = Observable("first")
    running = Observable(False)
    problem = Observable("")

    def __init__(self, funnel: TaskFunnel) -> None:
        super().__init__()
        self._funnel = funnel
        self.shots = ShotList()
        self.spec: Spec | None = None
        self._runner: JobRunner | None = None
        self._task: asyncio.Task[None] | None = None
        self._relay = _Relay()
        self._relay.image.connect(self._image)

    def set_engine(self, runner: JobRunner) -> None:
        self._runner = runner

    def load(self, path: Path) -> None:
        """A spec file with shots; anything else is refused with the reason."""
        try:
            spec = load_spec(path).spec
        except SpecError as error:
            self.problem = str(error)
            return
        if not spec.shots:
            self.problem = f'{path.name}: this spec has no shots; add 2 to 16 under "shots"'
            return
        self.problem = ""
        self.spec = spec
        self.name = path.name
        self.chain = spec.chain or "first"
        self.shots.reset_shots([ShotEntry(i, _label(spec, i)) for i in range(len(spec.shots))])

    def make(self) -> bool:
        """Every shot in order."""
        if self.spec is None or self._runner is None or self.running:
            return False
        for shot in self.shots.shots():
            self.shots.update(shot.index, state="waiting", error=None)
        self._start(self._make_all(self.spec, self._runner))
        return True

    def again(self, index: int) -> bool:
        """Shot ``index`` alone, from the reference the series gave it."""
        from app.core.series import reference_index

        if self.spec is None or self._runner is None or self.running:
            return False
        source = reference_index(self.spec, index)
        made = self.shots.shots()
        if source is not None and made[source].path is None:
            return False  # its reference is not made yet
        self._start(self._make_one(self.spec, self._runner, index, source))
        return True

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def export(self, folder: Path) -> list[Path]:
        """The made shots as numbered files in ``folder`` (01-…, 02-…), never overwriting."""
        written = []
        folder.mkdir(parents=True, exist_ok=True)
        for shot in self.shots.shots():
            if shot.path is None:
                continue
            stem = f"{shot.index + 1:02d}-{Path(self.name).stem or 'series'}"
            target = folder / f"{stem}{shot.path.suffix}"
            number = 2
            while target.exists():
                target = folder / f"{stem}-{number}{shot.path.suffix}"
                number += 1
            shutil.copyfile(shot.path, target)
            written.append(target)
        return written

    def _start(self, work: Any) -> None:
        self.running = True
        self._task = self._funnel.run_task(self._guarded(work), failure_code="job.crashed")

    async def _guarded(self, work: Any) -> None:
        try:
            await work
        except asyncio.CancelledError:
            pass
        finally:
            for shot in self.shots.shots():
                if shot.state == "running":
                    self.shots.update(shot.index, state="waiting")
            self.running = False

    def _plan(self, shot: Spec, sizes: Sequence[tuple[int, int]]) -> Plan:
        return plan_generation(shot, stream=False, reference_sizes=sizes)

    def _callbacks(self, index: int) -> Any:
        from app.jobs.run import JobCallbacks

        relay = self._relay
        self.shots.update(index, state="running", error=None)
        return JobCallbacks(on_image=lambda image: relay.image.emit(index, image))

    async def _make_all(self, spec: Spec, runner: JobRunner) -> None:
        from app.jobs.series import run_series

        relay_running = self._relay

        def callbacks_for(index: int) -> Any:
            from app.jobs.run import JobCallbacks

            return JobCallbacks(on_image=lambda image: relay_running.image.emit(index, image))

        for shot in self.shots.shots():
            self.shots.update(shot.index, state="running" if shot.index == 0 else "waiting")
        made = await self._funnel.on_engine(
            run_series(spec, lambda shot: runner, self._plan, callbacks_for=callbacks_for)
        )
        for result in made:
            if result.outcome.error is not None:
                error = result.outcome.error.message
                self.shots.update(result.index, state="failed", error=error)

    async def _make_one(
        self, spec: Spec, runner: JobRunner, index: int, source: int | None
    ) -> None:
        from app.core.series import shot_spec

        reference = None if source is None else self.shots.shots()[source]
        path = None if reference is None else str(reference.path)
        shot = shot_spec(spec, index, path)
        sizes = [] if reference is None or reference.size is None else [reference.size]
        plan = self._plan(shot, sizes)
        callbacks = self._callbacks(index)
        outcome = await self._funnel.on_engine(
            runner.run(plan, spec_json=spec_to_dict(shot), callbacks=callbacks)
        )
        if outcome.error is not None:
            self.shots.update(index, state="failed", error=outcome.error.message)

    def _image(self, index: int, image: SavedImage) -> None:
        if image.index != 0:
            return  # a shot is shown by its first image
        record = image.record
        self.shots.update(index, state="done", path=record.path, size=(record.width, record.height))
        following = index + 1
        if following < len(self.shots.shots()) and self.shots.shots()[following].state == "waiting":
            self.shots.update(following, state="running")
        self._funnel.run_task(self._thumbnail(index, record.path), failure_code="store.failed")

    async def _thumbnail(self, index: int, path: Path) -> None:
        picture = await self._funnel.in_thread(_thumbnail, path)
        if self.shots.shots()[index].path == path:
            self.shots.update(index, thumbnail=picture)
