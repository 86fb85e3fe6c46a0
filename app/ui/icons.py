"""Named icons from the Material Design set of ``qtawesome``, drawn in the palette's colours.

Widgets ask for ``icon("save")`` and never name an icon font. Each icon is drawn when it is
painted, in the current palette's button-text colour (greyed when disabled, the highlighted-text
colour when selected), so it follows a switch between light and dark without being made again,
and is sharp at any scale.

The icon package loads after the first paint, not before: importing it (it goes through QtPy)
costs about a third of a second, which would hold back the window. Until it is in, icons paint
nothing at their usual size, so nothing moves when the glyphs appear a moment later.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Final

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

GLYPHS: Final = {
    "new": "mdi6.file-outline",
    "open": "mdi6.folder-open-outline",
    "save": "mdi6.content-save-outline",
    "save-as": "mdi6.content-save-edit-outline",
    "generate": "mdi6.creation",
    "cancel": "mdi6.stop-circle-outline",
    "favourite": "mdi6.star-outline",
    "favourite-on": "mdi6.star",
    "delete": "mdi6.delete-outline",
    "copy": "mdi6.content-copy",
    "settings": "mdi6.cog-outline",
    "quit": "mdi6.exit-to-app",
    "zoom-in": "mdi6.magnify-plus-outline",
    "zoom-out": "mdi6.magnify-minus-outline",
    "zoom-fit": "mdi6.fit-to-screen-outline",
    "zoom-actual": "mdi6.image-size-select-actual",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "add": "mdi6.plus",
    "remove": "mdi6.close",
    "up": "mdi6.arrow-up",
    "down": "mdi6.arrow-down",
    "folder": "mdi6.folder-outline",
    "open-external": "mdi6.open-in-new",
    "compare": "mdi6.compare",
    "image": "mdi6.image-outline",
    "warning": "mdi6.alert-outline",
    "error": "mdi6.alert-circle-outline",
    "info": "mdi6.information-outline",
    "ok": "mdi6.check-circle-outline",
    "retry": "mdi6.refresh",
    "key": "mdi6.key-outline",
    "connection": "mdi6.lan-connect",
    "drag": "mdi6.drag-vertical",
}


_loading = False


def load_icon_package() -> ModuleType:
    """qtawesome, imported now if it is not yet; every window is repainted once it is in."""
    loaded: ModuleType | None = sys.modules.get("qtawesome")
    if loaded is not None:
        return loaded
    # qtawesome reaches Qt through QtPy, which must use the binding the studio runs on.
    os.environ.setdefault("QT_API", "pyside6")
    import qtawesome  # noqa: F401 (kept in sys.modules)

    for window in QApplication.topLevelWidgets():
        window.update()
    return sys.modules["qtawesome"]


def _load_after_this_paint() -> None:
    global _loading
    if not _loading:
        _loading = True
        QTimer.singleShot(0, load_icon_package)


class _PaletteIconEngine(QIconEngine):
    """Paints one glyph in the colours of the application's palette at paint time."""

    def __init__(self, glyph: str) -> None:
        super().__init__()
        self._glyph = glyph

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        qtawesome = sys.modules.get("qtawesome")
        if qtawesome is None:
            _load_after_this_paint()
            return
        palette = QGuiApplication.palette()
        disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
        if mode == QIcon.Mode.Selected:
            colour = palette.color(QPalette.ColorRole.HighlightedText)
        else:
            colour = palette.color(QPalette.ColorGroup.Normal, QPalette.ColorRole.ButtonText)
        glyph = qtawesome.icon(
            self._glyph,
            color=colour,
            color_active=colour,
            color_selected=colour,
            color_disabled=disabled,
        )
        glyph.paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)  # styles paint icons through this
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _PaletteIconEngine(self._glyph)


def icon(name: str) -> QIcon:
    """The icon called ``name`` (a key of ``GLYPHS``); ``KeyError`` for an unknown name."""
    return QIcon(_PaletteIconEngine(GLYPHS[name]))
