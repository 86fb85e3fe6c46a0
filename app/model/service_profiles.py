"""What a service was seen doing, for the settings page: one row per capability.

The profiles live in ``service-profiles.json`` (``app.store.profiles``), learned from answers on the
engine's loop. Reading them and forgetting them run off the GUI thread through the injected
coroutine functions (the studio's own profile book, shared with the engine), and the rows come
back by ``show``: each capability's name and "yes", "no" or "not tried yet".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.service_profile import CAPABILITIES, profile_key
from app.model.tasks import TaskFunnel

Index = QModelIndex | QPersistentModelIndex
Read = Callable[[str | None], Awaitable[Mapping[str, bool]]]
Forget = Callable[[str | None], Awaitable[None]]

KNOWN_ROLE: Final = Qt.ItemDataRole.UserRole + 1
"""True (seen working), False (refused) or None (not tried yet), under this item-data role."""

_CONTEXT: Final = "ServiceProfile"
_NAMES: Final = {
    "streaming": QT_TRANSLATE_NOOP("ServiceProfile", "Streaming"),
    "partial_images": QT_TRANSLATE_NOOP("ServiceProfile", "Partial images (previews)"),
    "edits": QT_TRANSLATE_NOOP("ServiceProfile", "Edits (/images/edits)"),
    "masks": QT_TRANSLATE_NOOP("ServiceProfile", "Masks"),
    "transparent": QT_TRANSLATE_NOOP("ServiceProfile", "Transparent backgrounds"),
    "multiple_images": QT_TRANSLATE_NOOP("ServiceProfile", "Several images per request (n > 1)"),
}
_STATES: Final = {
    True: QT_TRANSLATE_NOOP("ServiceProfile", "yes"),
    False: QT_TRANSLATE_NOOP("ServiceProfile", "no"),
    None: QT_TRANSLATE_NOOP("ServiceProfile", "not tried yet"),
}


def _words(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


class ServiceProfileModel(QAbstractTableModel):
    """Two columns: the capability, and what was learned about it for ``base_url``."""

    base_url_changed = Signal(str)  # the key the rows are for (the official URL for OpenAI)
    loaded = Signal()
    forgotten = Signal()

    def __init__(self, funnel: TaskFunnel, read: Read, forget: Forget) -> None:
        super().__init__()
        self._funnel = funnel
        self._read = read
        self._forget = forget
        self._base_url: str | None = None
        self._known: dict[str, bool] = {}

    @property
    def base_url(self) -> str:
        return profile_key(self._base_url)

    def known(self) -> dict[str, bool]:
        return dict(self._known)

    # Qt's model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CAPABILITIES)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(CAPABILITIES):
            return None
        capability = CAPABILITIES[index.row()]
        state = self._known.get(capability)
        if role == KNOWN_ROLE:
            return state
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _words(str(_NAMES[capability] if index.column() == 0 else _STATES[state]))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("What the service does"), self.tr("Seen"))[section]
        return None

    # Changes
    def show(self, base_url: str | None) -> None:
        """Read what was learned about ``base_url`` (None: OpenAI's own), off the GUI thread."""
        self._base_url = base_url
        self.base_url_changed.emit(self.base_url)

        async def read() -> None:
            known = await self._read(base_url)
            if profile_key(base_url) == self.base_url:  # not replaced by a newer choice
                self._set(known)
                self.loaded.emit()

        self._funnel.run_task(read(), failure_code="store.failed")

    def forget(self) -> None:
        """Forget what was learned about the shown service: the next request tries everything."""
        base_url = self._base_url

        async def forget() -> None:
            await self._forget(base_url)
            if profile_key(base_url) == self.base_url:
                self._set({})
            self.forgotten.emit()

        self._funnel.run_task(forget(), failure_code="store.failed")

    def _set(self, known: Mapping[str, bool]) -> None:
        self.beginResetModel()
        self._known = {k: v for k, v in known.items() if k in CAPABILITIES}
        self.endResetModel()
