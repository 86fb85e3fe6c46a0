"""The spec file being edited: new, open, save, recent files, and the autosave a crash leaves.

Every read and write runs on a worker thread. The autosave is written (atomically) a moment after
each change; a clean close removes it, so one found at start is what a crash left behind, and it
is restored. Opening a studio image restores the spec stored in it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.messages import MessageBridge
from app.core.spec import Spec, SpecError
from app.core.spec_json import load_spec, spec_from_dict, spec_to_dict, spec_to_json
from app.model.builder import BuilderModel
from app.model.properties import Observable
from app.model.tasks import TaskFunnel
from app.store.files import StoreError, write_atomic

AUTOSAVE_MS: Final = 800
MAX_RECENT: Final = 10
IMAGE_SUFFIXES: Final = (".png", ".webp", ".jpg", ".jpeg")


class OpenError(Exception):
    """A file that cannot be opened as a spec; the message says why."""


@dataclass(frozen=True, slots=True)
class Restored:
    spec: Spec
    path: Path | None


def read_spec_file(path: Path) -> Spec:
    """A spec from a spec file, or from an image that carries one. Raises ``OpenError``."""
    from app.core.metadata import MetadataError, read_metadata  # its XML support loads slowly

    if path.suffix.lower() not in IMAGE_SUFFIXES:
        try:
            return load_spec(path).spec
        except SpecError as error:
            raise OpenError(str(error)) from None
    try:
        payload = read_metadata(path.read_bytes())
    except OSError as error:
        raise OpenError(f"{path}: cannot read it ({error.strerror or error})") from None
    except MetadataError as error:
        raise OpenError(f"{path}: its studio data cannot be read ({error})") from None
    if payload is None or not isinstance(payload.get("spec"), dict):
        raise OpenError(f"{path}: this image carries no studio spec")
    try:
        return spec_from_dict(payload["spec"], base_dir=path.parent).spec
    except SpecError as error:
        raise OpenError(f"{path}: {error}") from None


def read_autosave(path: Path) -> Restored | None:
    """What a crash left behind, or None (nothing there, or nothing usable)."""
    try:
        data = json.loads(path.read_text("utf-8"))
        spec = spec_from_dict(data["spec"]).spec
    except (OSError, ValueError, KeyError, TypeError, SpecError):
        return None
    origin = data.get("path")
    return Restored(spec, Path(origin) if isinstance(origin, str) else None)


def _read_recent(path: Path) -> tuple[str, ...]:
    try:
        items = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(str(item) for item in items if isinstance(item, str))[:MAX_RECENT]


class SpecDocument(QObject):
    path_changed = Signal(object)
    dirty_changed = Signal(bool)
    recent_changed = Signal(object)
    autosaved = Signal()
    saved = Signal(object)
    opened = Signal(object)

    path: Observable[Path | None] = Observable(None)
    dirty = Observable(False)
    recent: Observable[tuple[str, ...]] = Observable(())

    def __init__(
        self,
        builder: BuilderModel,
        funnel: TaskFunnel,
        messages: MessageBridge,
        *,
        autosave_file: Path,
        recent_file: Path,
        autosave_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__()
        self._builder = builder
        self._funnel = funnel
        self._messages = messages
        self.autosave_file = autosave_file
        self.recent_file = recent_file
        self._quiet = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(autosave_ms)
        self._timer.timeout.connect(self._autosave)
        builder.spec_changed.connect(self._edited)

    def _edited(self) -> None:
        if not self._quiet:
            self.dirty = True
            self._timer.start()

    def _show(self, spec: Spec, path: Path | None, *, dirty: bool) -> None:
        self._quiet = True
        try:
            self._builder.load(spec)
        finally:
            self._quiet = False
        self.path = path
        self.dirty = dirty

    async def start(self, *, open_path: Path | None = None) -> None:
        """Read the recent files; restore a crash's autosave, else open ``open_path``."""
        self.recent = await self._funnel.in_thread(_read_recent, self.recent_file)
        restored = await self._funnel.in_thread(read_autosave, self.autosave_file)
        if restored is not None:
            self._show(restored.spec, restored.path, dirty=True)
            self._messages.info("spec.restored")
        if open_path is not None:
            await self.open(open_path)

    def new(self, *, model: str, quality: str, tier: str) -> None:
        self._quiet = True
        try:
            self._builder.reset(model=model, quality=quality, tier=tier)
        finally:
            self._quiet = False
        self.path = None
        self.dirty = False
        self._timer.stop()
        self._funnel.run_task(self._funnel.in_thread(self._drop_autosave))

    async def open(self, path: Path) -> bool:
        try:
            spec = await self._funnel.in_thread(read_spec_file, path)
        except OpenError as error:
            self._messages.error("spec.open_failed", reason=str(error))
            return False
        is_image = path.suffix.lower() in IMAGE_SUFFIXES
        self._show(spec, None if is_image else path, dirty=is_image)
        if not is_image:
            await self._remember(path)
        self.opened.emit(path)
        return True

    async def save(self, path: Path | None = None) -> bool:
        """Save to ``path`` (Save As) or the current file; False when it could not be written."""
        target = path or self.path
        if target is None:
            return False
        text = spec_to_json(self._builder.spec(), base_dir=target.parent)
        try:
            await self._funnel.in_thread(write_atomic, target, text.encode("utf-8"))
        except StoreError as error:
            self._messages.error("spec.save_failed", reason=str(error))
            return False
        self.path = target
        self.dirty = False
        await self._remember(target)
        self.saved.emit(target)
        return True

    def open_file(self, path: Path) -> None:
        """Open ``path`` in the background (for the window's actions)."""
        self._funnel.run_task(self.open(path), failure_code="spec.open_failed")

    def save_file(
        self, path: Path | None = None, *, then: Callable[[], object] | None = None
    ) -> None:
        """Save in the background; ``then`` runs once it is saved."""

        def done(saved: bool) -> None:
            if saved and then is not None:
                then()

        self._funnel.run_task(self.save(path), on_done=done, failure_code="spec.save_failed")

    async def close(self) -> None:
        """A clean close: whatever was not saved stays only if the user chose to keep it."""
        self._timer.stop()
        await self._funnel.in_thread(self._drop_autosave)

    async def flush_autosave(self) -> None:
        self._timer.stop()
        await self._write_autosave()

    def _autosave(self) -> None:
        self._funnel.run_task(self._write_autosave(), failure_code="spec.autosave_failed")

    async def _write_autosave(self) -> None:
        data: dict[str, Any] = {
            "version": 1,
            "path": None if self.path is None else str(self.path),
            "spec": spec_to_dict(self._builder.spec()),
        }
        text = json.dumps(data, ensure_ascii=False, indent=1)
        await self._funnel.in_thread(write_atomic, self.autosave_file, text.encode("utf-8"))
        self.autosaved.emit()

    def _drop_autosave(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.autosave_file.unlink()

    async def _remember(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = (entry, *(item for item in self.recent if item != entry))[:MAX_RECENT]
        self.recent = recent
        text = json.dumps(list(recent), ensure_ascii=False)
        # The list of recent files is a convenience: losing it is not worth a message.
        with contextlib.suppress(StoreError):
            await self._funnel.in_thread(write_atomic, self.recent_file, text.encode("utf-8"))
