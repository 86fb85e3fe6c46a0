"""Fusion with a light and a dark palette, following the system unless the settings choose one.

The system's choice comes from ``QStyleHints.colorScheme()`` (Qt 6.5+) and is followed while it
changes; the palettes are our own so that both look the same on every platform.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleHintReturn,
    QStyleOption,
    QWidget,
)

THEMES: Final = ("system", "light", "dark")

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# (role, normal colour, disabled colour or None for the same)
_DARK: Final = (
    (_Role.Window, "#313338", None),
    (_Role.WindowText, "#e8e8e8", "#7c7f84"),
    (_Role.Base, "#1c1d20", "#26272a"),
    (_Role.AlternateBase, "#2a2b2f", None),
    (_Role.ToolTipBase, "#3a3c40", None),
    (_Role.ToolTipText, "#f0f0f0", None),
    (_Role.PlaceholderText, "#8d9096", "#5f6166"),
    (_Role.Text, "#e8e8e8", "#7c7f84"),
    (_Role.Button, "#3a3c40", "#303236"),
    (_Role.ButtonText, "#e8e8e8", "#7c7f84"),
    (_Role.BrightText, "#ff6b6b", None),
    (_Role.Light, "#505257", None),
    (_Role.Midlight, "#43454a", None),
    (_Role.Mid, "#34363a", None),
    (_Role.Dark, "#1b1c1f", None),
    (_Role.Shadow, "#0e0e10", None),
    (_Role.Highlight, "#3d7bd9", "#3a3c40"),
    (_Role.HighlightedText, "#ffffff", "#7c7f84"),
    (_Role.Link, "#76aaff", None),
    (_Role.LinkVisited, "#b792ff", None),
    (_Role.Accent, "#3d7bd9", None),
)


class StudioStyle(QProxyStyle):
    """Fusion, without the platform's coloured icons on dialog buttons (they ignore the palette)."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def styleHint(
        self,
        hint: QStyle.StyleHint,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
        returned: QStyleHintReturn | None = None,
    ) -> int:
        if hint == QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 0
        return super().styleHint(hint, option, widget, returned)


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    palette = QPalette(style.standardPalette())
    palette.setColor(_Role.Accent, palette.color(_Role.Highlight))
    return palette


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, normal, disabled in _DARK:
        palette.setColor(_Group.All, role, QColor(normal))
        palette.setColor(_Group.Disabled, role, QColor(disabled or normal))
    return palette


def is_dark(palette: QPalette) -> bool:
    return palette.color(_Role.Window).lightness() < 128


def notice_colours(palette: QPalette) -> tuple[str, str]:
    """Text colours for a refusal and a caution that read well on the palette's window."""
    return ("#ff8a80", "#fbbf24") if is_dark(palette) else ("#b3261e", "#9a5b00")


class Theme(QObject):
    """Applies the chosen theme to the application and keeps following the system's."""

    dark_changed = Signal(bool)

    def __init__(self, app: QApplication, choice: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self._choice = choice
        self._dark: bool | None = None
        app.setStyle(StudioStyle())
        app.styleHints().colorSchemeChanged.connect(self._follow_system)
        self._apply()

    @property
    def choice(self) -> str:
        return self._choice

    @property
    def dark(self) -> bool:
        return bool(self._dark)

    def set_choice(self, choice: str) -> None:
        """``system``, ``light`` or ``dark``; anything else follows the system."""
        self._choice = choice if choice in THEMES else "system"
        self._apply()

    def _follow_system(self, scheme: Qt.ColorScheme) -> None:
        if self._choice == "system":
            self._apply(scheme)

    def _apply(self, scheme: Qt.ColorScheme | None = None) -> None:
        if scheme is None:
            scheme = self._app.styleHints().colorScheme()
        system_dark = scheme == Qt.ColorScheme.Dark
        dark = self._choice == "dark" or (self._choice == "system" and system_dark)
        if dark == self._dark:
            return
        self._dark = dark
        self._app.setPalette(dark_palette() if dark else light_palette())
        self.dark_changed.emit(dark)
