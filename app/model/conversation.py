"""The edit conversation of one version tree: one row per turn, oldest first, the pending last.

Each row is a ``TurnRow``: what was asked, of which version, how it ended (with the failure as a
message code, worded by the panel), what it cost and the versions it made. A text set again
(kind ``retypeset``) carries what changed, found from the two versions' specs, so the panel words
it in the designer's language; its stored instruction is the same in English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QImage

from app.core.spec import SpecError, TextBlock
from app.core.spec_json import spec_from_dict
from app.core.text_changes import TextChange, text_changes
from app.model.versions import VersionImages
from app.store.versions import Turn, Version, VersionTree

TURN_ROLE: Final = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class TurnRow:
    instruction: str
    kind: str  # instruction, replace_text, finalize, retypeset
    state: str  # pending, done, failed, cancelled, interrupted
    source_label: str = ""  # "v2": the version it edited
    failure: tuple[str, dict[str, Any]] | None = None
    estimated_usd: float | None = None
    actual_usd: float | None = None
    local: bool = False
    image_ids: tuple[int, ...] = ()
    image_labels: tuple[str, ...] = ()
    changed_outside_pct: float | None = None  # a masked turn pasted back
    job_id: str = ""  # the library's job (empty while a turn is sent)
    changes: tuple[TextChange, ...] = ()  # a text set again: what changed


def _texts(version: Version | None) -> tuple[TextBlock, ...] | None:
    if version is None or not version.spec:
        return None
    try:
        return spec_from_dict(version.spec).spec.texts
    except SpecError:
        return None


def retypeset_changes(tree: VersionTree, turn: Turn) -> tuple[TextChange, ...]:
    """What a text set again changed: the texts of the version it was set over against those of
    the version it made (nothing when either is gone: the stored words say it then)."""
    if turn.kind != "retypeset" or turn.source_image_id is None or not turn.image_ids:
        return ()
    before = _texts(tree.version(turn.source_image_id))
    after = _texts(tree.version(turn.image_ids[0]))
    return () if before is None or after is None else text_changes(before, after)


def version_labels(tree: VersionTree | None) -> dict[int, str]:
    """Each version's number in its tree ("v1" the original, in order of creation)."""
    if tree is None:
        return {}
    return {version.image.id: f"v{n}" for n, version in enumerate(tree.versions, start=1)}


def turn_rows(
    tree: VersionTree | None,
    *,
    failures: Mapping[str, tuple[str, dict[str, Any]]],
    changed_outside: Mapping[str, float],
) -> list[TurnRow]:
    """The rows of the turns the library knows; ``failures`` are this session's worded codes
    (after a restart a failure is the job's recorded message)."""
    labels = version_labels(tree)
    rows = []
    for turn in () if tree is None else tree.turns:
        state = {
            "done": "done", "running": "pending", "queued": "pending",
            "cancelled": "cancelled", "interrupted": "interrupted",
        }.get(turn.status)  # fmt: skip
        failure = None
        if state is None:
            state = "failed"
            failure = failures.get(turn.job_id) or (
                f"edit.{turn.status}",
                {"detail": turn.error_message or ""},
            )
        rows.append(
            TurnRow(
                instruction=turn.instruction,
                kind=turn.kind,
                state=state,
                source_label=labels.get(turn.source_image_id or -1, ""),
                failure=failure,
                estimated_usd=turn.estimated_usd,
                actual_usd=turn.actual_usd,
                image_ids=turn.image_ids,
                image_labels=tuple(labels.get(i, "") for i in turn.image_ids),
                changed_outside_pct=changed_outside.get(turn.job_id),
                job_id=turn.job_id,
                changes=() if tree is None else retypeset_changes(tree, turn),
            )
        )
    return rows


class ConversationModel(QAbstractListModel):
    def __init__(self, images: VersionImages) -> None:
        super().__init__()
        self._rows: list[TurnRow] = []
        self._paths: dict[int, Path] = {}
        self._images = images
        images.thumbnail_ready.connect(self._thumbnail)
        # The view's words for a turn (its heading and footer, in the window's language), so a
        # screen reader hears what the dock shows; the stored instruction until a view sets it.
        self.describe_turn: Callable[[TurnRow], str] | None = None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == TURN_ROLE:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole and self.describe_turn is not None:
            return self.describe_turn(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.instruction
        return None

    def rows(self) -> tuple[TurnRow, ...]:
        return tuple(self._rows)

    def set_rows(self, rows: list[TurnRow], paths: dict[int, Path]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._paths = dict(paths)
        self.endResetModel()

    def thumbnail(self, image_id: int) -> QImage | None:
        path = self._paths.get(image_id)
        return None if path is None else self._images.thumbnail(image_id, path)

    def _thumbnail(self, image_id: int) -> None:
        for number, row in enumerate(self._rows):
            if image_id in row.image_ids:
                index = self.index(number)
                self.dataChanged.emit(index, index)
