"""The edit panel's state: the version tree of the selected image and its conversation.

A turn is an edit of the current version, sent through the window's ``Generator`` (its queue,
spending cap and gallery), so it runs on the engine's loop and its images are in the library
before anyone sees them; each new image hangs under the version it edited. The spec the edited
version was made with comes along: its exact texts stay required in the edit prompt (as
``zi-studio edit`` keeps them) unless the turn replaces one. When the turn ends, the library
records it (the instruction, its kind, the version it edited), so the conversation and the tree
come back after a restart; a failed turn is recorded too and nothing typed is lost.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from PySide6.QtCore import QObject, QSize, Signal

from app.core.edit_turns import (
    TurnError,
    finalize_instruction,
    finalize_size,
    mask_for_api,
    replaced_blocks,
)
from app.core.plan import Plan, PlanError, plan_edit
from app.core.service_profile import ServiceProfile
from app.core.sizes import Size, is_valid_size
from app.core.spec import Spec, SpecError, TextBlock
from app.core.spec_json import spec_from_dict, spec_to_dict
from app.core.text_replacement import typed_edit
from app.model.conversation import ConversationModel, TurnRow, turn_rows, version_labels
from app.model.generation import Generator, failure_of
from app.model.properties import Observable
from app.model.tasks import TaskFunnel
from app.model.versions import VersionImages, VersionTreeModel
from app.store.files import write_atomic
from app.store.versions import TurnKind, Version, VersionTree

if TYPE_CHECKING:
    from app.jobs.run import JobOutcome
    from app.model.mask import MaskModel
    from app.store.library import Library

MAX_VARIATIONS: Final = 4
KEPT_MASKS: Final = 4  # painted masks kept (one 3840x2160 mask is 8 MB)


@dataclass(frozen=True, slots=True)
class EditAbilities:
    """What the service can do for the panel (from its profile: what it was seen refusing)."""

    edits: bool = True
    masks: bool = True


@dataclass(frozen=True, slots=True)
class _Pending:
    kind: TurnKind
    instruction: str  # as the designer typed it (or the panel's words for a replace/finalize)
    source_id: int
    estimated_usd: float | None
    job_id: str | None = None  # the library's, once known (a retry resumes it)


def spec_of(version: Version) -> Spec:
    """The spec the version was made with (an empty one when it had none or it is unreadable)."""
    if not version.spec:
        return Spec()
    try:
        return spec_from_dict(version.spec).spec
    except SpecError:
        return Spec()


class EditSession(QObject):
    tree_changed = Signal(object)
    busy_changed = Signal(bool)
    abilities_changed = Signal(object)
    mask_changed = Signal(object)
    paste_back_changed = Signal(bool)
    refused = Signal(str, object)  # a turn that was not sent: message code, values
    turn_failed = Signal(str)  # the instruction of a turn that made nothing (to offer it again)
    compare_requested = Signal(object, object)  # two Versions

    tree: Observable[VersionTree | None] = Observable(None)
    busy = Observable(False)
    abilities = Observable(EditAbilities())
    mask = Observable[Path | None](None)  # the API mask file the next turn sends
    paste_back = Observable(True)

    def __init__(
        self,
        funnel: TaskFunnel,
        generator: Generator,
        images: VersionImages,
        *,
        masks_dir: Path,
        references: Callable[[], Sequence[str]] = tuple,
        partial_images: Callable[[], int] = lambda: 0,
    ) -> None:
        super().__init__()
        self._funnel = funnel
        self._generator = generator
        self._masks_dir = masks_dir
        self._references = references
        self.images = images
        self.versions = VersionTreeModel(images)
        self.conversation = ConversationModel(images)
        self.library: Library | None = None
        self._partial_images = partial_images  # the settings' previews per image
        self._profile_source: Callable[[], ServiceProfile | None] = lambda: None
        self._pending: dict[int, _Pending] = {}
        self._ended: dict[int, _Pending] = {}  # turns that ended, by queue entry (to retry)
        self._failures: dict[str, tuple[str, dict[str, Any]]] = {}
        self._changed_outside: dict[str, float] = {}
        self._loading = 0
        self._recording = 0  # turns that ended and are being written to the library
        self._encoding = 0  # painted masks being written before their turn is sent
        self._painted: dict[int, MaskModel] = {}  # painted masks by version, newest last
        self._painted_file: Path | None = None
        # How a turn is said in the tree, its label and tooltip (the panel's translated words).
        self.turn_label: Callable[[TurnRow], str] = lambda row: row.instruction
        self.turn_heading: Callable[[TurnRow], str] = lambda row: row.instruction
        generator.job_ended.connect(self._job_ended)
        generator.job_recorded.connect(self._job_recorded)
        generator.retried.connect(self._retried)
        generator.engine_changed.connect(lambda _: self.refresh_abilities())
        self.tree_changed.connect(self._show)

    # Wiring (the composition root)
    def attach_library(self, library: Library) -> None:
        self.library = library

    def follow_profile(self, source: Callable[[], ServiceProfile | None]) -> None:
        """Where the service's profile is read (again after every turn: it learns from them)."""
        self._profile_source = source
        self.refresh_abilities()

    def refresh_abilities(self) -> None:
        profile = self._profile_source()
        if profile is None:
            self.abilities = EditAbilities()
            return
        self.abilities = EditAbilities(
            edits=not profile.lacks("edits"), masks=not profile.lacks("masks")
        )
        if not self.abilities.masks:
            self.mask = None

    # Which tree
    def show_image(self, image_id: int | None) -> None:
        """Show the tree of ``image_id`` with it as the current version (what the designer
        selected is what the next turn edits); None shows nothing."""
        self._load(image_id, make_current=True)

    def open_tree(self, image_id: int) -> None:
        """Show the tree of ``image_id`` with the current version it had."""
        self._load(image_id, make_current=False)

    def _load(self, image_id: int | None, *, make_current: bool) -> None:
        self._loading += 1
        ticket = self._loading
        library = self.library
        if image_id is None or library is None:
            self.tree = None
            return
        tree = self.tree
        if make_current and tree is not None and tree.version(image_id) is not None:
            self.make_current(image_id)
            return

        def load() -> VersionTree | None:
            if make_current and library.versions.root_of(image_id) is not None:
                library.versions.set_current(image_id)
            return library.versions.tree_of(image_id)

        async def loading() -> None:
            found = await self._funnel.in_thread(load)
            if ticket == self._loading:
                self.tree = found

        self._funnel.run_task(loading(), failure_code="store.failed")

    def reload(self) -> None:
        if self.tree is not None:
            self._load(self.tree.current_id, make_current=False)

    def make_current(self, image_id: int) -> None:
        """Revert to (or continue from) ``image_id``: the next turn edits it (kept in the
        library)."""
        tree, library = self.tree, self.library
        if tree is None or tree.version(image_id) is None or tree.current_id == image_id:
            return
        self.tree = dataclasses.replace(tree, current_id=image_id)
        if library is not None:
            self._funnel.run_task(
                self._funnel.in_thread(library.versions.set_current, image_id),
                failure_code="store.failed",
            )

    def current(self) -> Version | None:
        tree = self.tree
        return None if tree is None else tree.version(tree.current_id)

    def compare(self, first: int, second: int) -> None:
        tree = self.tree
        a = None if tree is None else tree.version(first)
        b = None if tree is None else tree.version(second)
        if a is not None and b is not None:
            self.compare_requested.emit(a, b)

    @property
    def local(self) -> bool:
        """Turns go to the embedded engine (local drafts, no cost)."""
        engine = self._generator.engine
        return engine is None or engine.local

    # The mask
    def use_mask_file(self, path: Path) -> None:
        """Send the mask in ``path`` with the next turns (read and checked off the GUI thread)."""
        self.use_mask(path)

    def use_mask(self, data: bytes | Path) -> None:
        """Send ``data`` (a mask file, or a painted mask's PNG bytes as the API takes it) with
        the next turns; checked against the current version's size off the GUI thread."""
        version = self.current()
        if version is None:
            return
        width, height = version.image.width, version.image.height
        target = self._masks_dir / f"mask-{uuid.uuid4().hex}.png"

        def convert() -> Path:
            try:
                raw = data.read_bytes() if isinstance(data, Path) else data
            except OSError as error:
                raise TurnError(error.strerror or str(error)) from None
            write_atomic(target, mask_for_api(raw, width, height))
            return target

        async def converting() -> None:
            try:
                self.mask = await self._funnel.in_thread(convert)
            except TurnError as error:
                self.refused.emit("edit.mask_refused", {"reason": str(error)})

        self._funnel.run_task(converting(), failure_code="store.failed")

    def clear_mask(self) -> None:
        self.mask = None
        painted = self.painted_mask(create=False)
        if painted is not None:
            painted.clear()

    def painted_mask(self, *, create: bool = True) -> MaskModel | None:
        """The mask painted on the current version (made on first use; a few are kept, so
        going back to a version finds its mask)."""
        version = self.current()
        if version is None:
            return None
        image_id = version.image.id
        model = self._painted.pop(image_id, None)
        if model is None and create:
            from app.model.mask import MaskModel  # numpy: loaded on first use, after the window

            model = MaskModel(QSize(version.image.width, version.image.height), self)
        if model is not None:
            self._painted[image_id] = model
        while len(self._painted) > KEPT_MASKS:
            oldest = next(iter(self._painted))
            self._painted.pop(oldest).deleteLater()
        return model

    # Turns
    def plan_turn(
        self,
        instruction: str,
        *,
        n: int = 1,
        blocks: Sequence[TextBlock] | None = None,
        size: Size | None = None,
        quality: str | None = None,
    ) -> tuple[Plan, Spec]:
        """The edit request of a turn on the current version. Raises PlanError or TurnError."""
        version = self.current()
        if version is None:
            raise TurnError("select an image to edit first")
        image = version.image
        spec = spec_of(version)
        kept = spec.texts if blocks is None else tuple(blocks)
        changes: dict[str, Any] = {"n": n, "references": tuple(self._references()), "texts": kept}
        if quality is not None:
            changes["quality"] = quality
        spec = dataclasses.replace(spec, **changes)
        if size is None and is_valid_size(image.width, image.height):
            size = Size(image.width, image.height)
        same_size = size is None or (size.width, size.height) == (image.width, image.height)
        chosen = self._painted_file if self._painted_file is not None else self.mask
        mask = chosen if self.abilities.masks and same_size else None
        plan = plan_edit(
            spec,
            instruction=instruction,
            image=str(image.path),
            blocks=kept,
            mask=None if mask is None else str(mask),
            stream=True,
            partial_images=self._partial_images(),
            input_sizes=[(image.width, image.height)],
            size=size,
        )
        return plan, spec

    def estimate(self, n: int = 1) -> float | None:
        """What a turn of ``n`` variations on the current version would cost (≈, in dollars)."""
        try:
            plan, _ = self.plan_turn("edit", n=n)
        except (PlanError, TurnError):
            return None
        return plan.cost.usd

    def send(self, instruction: str, *, n: int = 1) -> bool:
        """Edit the current version as ``instruction`` says; False (and ``refused``) when it
        was not sent."""
        if not instruction.strip():
            self.refused.emit("edit.empty", {})
            return False
        typed = instruction.strip()
        return self._send("instruction", typed, lambda: self._plan_typed(typed, n))

    def _plan_typed(self, typed: str, n: int) -> tuple[Plan, Spec]:
        """A typed turn's request; one that replaces a text of the image requires the new text
        instead of the old (``typed_edit``)."""
        version = self.current()
        blocks = () if version is None else spec_of(version).texts
        instruction, kept = typed_edit(typed, blocks)
        return self.plan_turn(instruction, n=n, blocks=kept)

    def replace_text(self, index: int, new_text: str, *, n: int = 1) -> bool:
        """Put ``new_text`` in place of text block ``index``, everything else kept."""
        version = self.current()
        blocks = () if version is None else spec_of(version).texts

        def plan() -> tuple[Plan, Spec]:
            instruction, new_blocks = replaced_blocks(blocks, index, new_text)
            return self.plan_turn(instruction, n=n, blocks=new_blocks)

        shown = f"{blocks[index].text} → {new_text}" if 0 <= index < len(blocks) else new_text
        return self._send("replace_text", shown, plan)

    def plan_finalize(self, quality: str, tier: str) -> tuple[Plan, Spec]:
        version = self.current()
        if version is None:
            raise TurnError("select an image to finalize first")
        size = finalize_size(version.image.width, version.image.height, tier)
        return self.plan_turn(finalize_instruction(quality), size=size, quality=quality)

    def finalize(self, quality: str, tier: str) -> bool:
        """The current version again at ``quality`` and ``tier``: a child version."""
        return self._send(
            "finalize", f"{quality} · {tier}", lambda: self.plan_finalize(quality, tier)
        )

    def _send(self, kind: TurnKind, shown: str, plan_of: Callable[[], tuple[Plan, Spec]]) -> bool:
        version = self.current()
        if version is None:
            self.refused.emit("edit.no_image", {})
            return False
        if not self.abilities.edits:
            self.refused.emit("edit.unsupported", {})
            return False
        painted = self._painted.get(version.image.id)
        if painted is not None and not painted.is_empty and self.abilities.masks:
            # The painted mask goes as the API's PNG; encoding a large one takes most of a
            # second, so it is written off the GUI thread from a copy taken now.
            encode = painted.api_mask_encoder()
            target = self._masks_dir / f"painted-{uuid.uuid4().hex}.png"

            def write() -> Path:
                write_atomic(target, encode())
                return target

            async def encoding() -> None:
                try:
                    path = await self._funnel.in_thread(write)
                finally:
                    self._encoding -= 1
                if not self._send_now(kind, shown, plan_of, version, painted_file=path):
                    self.turn_failed.emit(shown if kind == "instruction" else "")
                self.busy = bool(self._pending or self._recording or self._encoding)

            self._encoding += 1
            self.busy = True
            self._funnel.run_task(encoding(), failure_code="store.failed")
            return True
        return self._send_now(kind, shown, plan_of, version, painted_file=None)

    def _send_now(
        self,
        kind: TurnKind,
        shown: str,
        plan_of: Callable[[], tuple[Plan, Spec]],
        version: Version,
        *,
        painted_file: Path | None,
    ) -> bool:
        if self.current() != version:
            self.refused.emit("edit.refused", {"reason": "the current version changed"})
            return False
        self._painted_file = painted_file  # what plan_turn sends as the mask, for this call
        try:
            plan, spec = plan_of()
        except (PlanError, TurnError) as error:
            self.refused.emit("edit.refused", {"reason": str(error)})
            return False
        finally:
            self._painted_file = None
        entry = self._generator.generate(
            plan, spec_to_dict(spec), parent_image_id=version.image.id,
            paste_back=self.paste_back, retry_in_place=True,
        )  # fmt: skip
        if entry is None:  # the spending cap said no (and said why)
            return False
        self._pending[entry.id] = _Pending(kind, shown, version.image.id, plan.cost.usd)
        self.busy = True
        self._show(self.tree)
        return True

    def _retried(self, entry_id: int, new_entry_id: int) -> None:
        """A turn retried (the error banner, the job queue): the same turn, asked again; its
        new versions are the turn's (the library job is resumed)."""
        ended = self._ended.get(entry_id)
        if ended is None:
            return
        self._pending[new_entry_id] = ended
        self.busy = True
        self._show(self.tree)

    def _job_recorded(self, entry_id: int, job_id: str) -> None:
        """The library has a turn's job: keep the turn now, so a studio killed mid-turn still
        has the instruction of the versions that arrived (the turn's end records it again)."""
        pending = self._pending.get(entry_id)
        library = self.library
        if pending is None or library is None:
            return
        self._pending[entry_id] = dataclasses.replace(pending, job_id=job_id)

        def record() -> None:
            library.versions.record_turn(
                job_id, kind=pending.kind, instruction=pending.instruction,
                source_image_id=pending.source_id,
            )  # fmt: skip

        self._funnel.run_task(self._funnel.in_thread(record), failure_code="store.failed")

    def _job_ended(self, entry_id: int, outcome: JobOutcome | None) -> None:
        pending = self._pending.pop(entry_id, None)
        if pending is None:
            return
        self.refresh_abilities()
        entry = self._generator.queue.entry(entry_id)
        # Cancelled (or stopped by the disk) there is no outcome, but the library may know the
        # job and keep the versions that arrived: the turn is recorded all the same.
        job_id = outcome.job_id if outcome is not None else None if entry is None else entry.job_id
        made = len(outcome.images) if outcome is not None else entry.received if entry else 0
        if not made:
            self.turn_failed.emit(pending.instruction if pending.kind == "instruction" else "")
        self._ended[entry_id] = dataclasses.replace(pending, job_id=job_id)
        if job_id is None:  # cancelled before the library knew the job
            self.busy = bool(self._pending or self._recording or self._encoding)
            self._show(self.tree)
            return
        if outcome is not None and outcome.error is not None:
            code, _ = failure_of(outcome.error)
            self._failures[job_id] = (code, {"detail": outcome.error.message})
        changed = [] if outcome is None else [
            i.changed_outside_pct for i in outcome.images if i.changed_outside_pct
        ]  # fmt: skip
        if changed:
            self._changed_outside[job_id] = max(changed)
        library = self.library
        if library is None:
            self.busy = bool(self._pending or self._recording or self._encoding)
            return

        def record() -> VersionTree | None:
            library.versions.record_turn(
                job_id, kind=pending.kind, instruction=pending.instruction,
                source_image_id=pending.source_id,
            )  # fmt: skip
            tree = library.versions.tree_of(pending.source_id)
            turn = None if tree is None else next(
                (t for t in tree.turns if t.job_id == job_id), None
            )  # fmt: skip
            if turn is None or not turn.image_ids:
                return tree
            library.versions.set_current(turn.image_ids[0])  # the turn's first version
            return library.versions.tree_of(pending.source_id)

        self._loading += 1  # a tree being loaded now would not show this turn yet
        ticket = self._loading

        async def recording() -> None:
            try:
                tree = await self._funnel.in_thread(record)
                if ticket != self._loading:  # another load began meanwhile: read again
                    self.reload()
                    return
                current = self.tree
                if current is None or tree is None or current.root_id == tree.root_id:
                    self.tree = tree
                    self._show(tree)  # the pending row has gone, though the tree is the same
            finally:
                self._recording -= 1
                self.busy = bool(self._pending or self._recording or self._encoding)

        self._recording += 1
        self._funnel.run_task(recording(), failure_code="store.failed")

    # Presentation data for the views
    def labels(self) -> dict[int, str]:
        return version_labels(self.tree)

    def _show(self, tree: VersionTree | None) -> None:
        labels = version_labels(tree)
        rows = turn_rows(tree, failures=self._failures, changed_outside=self._changed_outside)
        made_by, tips = {}, {}
        for row in rows:
            made_by.update(dict.fromkeys(row.image_ids, self.turn_label(row)))
            tips.update(dict.fromkeys(row.image_ids, self.turn_heading(row)))
        self.versions.show_tree(
            tree,
            {image_id: f"{label}  {made_by.get(image_id, '')}".rstrip()
             for image_id, label in labels.items()},
            tips=tips,
        )  # fmt: skip
        rows = turn_rows(tree, failures=self._failures, changed_outside=self._changed_outside)
        # A retried turn is its own row again, sending; a new one is added at the end.
        again = {turn.job_id for turn in self._pending.values() if turn.job_id is not None}
        rows = [
            dataclasses.replace(row, state="pending", failure=None, local=self.local)
            if row.job_id in again else row
            for row in rows
        ]  # fmt: skip
        shown = {row.job_id for row in rows}
        pending = [
            TurnRow(
                instruction=turn.instruction, kind=turn.kind, state="pending",
                source_label=labels.get(turn.source_id, ""),
                estimated_usd=turn.estimated_usd, local=self.local,
            )
            for turn in self._pending.values()
            if tree is not None and tree.version(turn.source_id) is not None
            and turn.job_id not in shown
        ]  # fmt: skip
        paths = {} if tree is None else {v.image.id: v.image.path for v in tree.versions}
        self.conversation.set_rows(rows + pending, paths)
