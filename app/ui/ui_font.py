"""The UI font falls back to the bundled Chinese font where the system has none.

Without a Simplified Chinese font, a fresh Linux shows the zh_CN window (and every Chinese text
a designer types) as empty boxes. The bundled Noto Sans CJK SC (``manimgx-fonts-cjk``) is then
added behind the system's UI family. It is a variable font whose default instance is Thin, so the
weight axis is set to Regular; bold text still comes out bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

BUNDLED_FAMILY: Final = "Noto Sans CJK SC"
_REGULAR: Final = 400.0


def install_cjk_fallback(
    app: QApplication,
    font_file: Path | None,
    *,
    system_families: Sequence[str] | None = None,
) -> str | None:
    """Add the bundled CJK font behind the UI font when no system font covers Chinese.

    Returns the family added, or ``None`` when the system has one (or the file is missing).
    Call it once, after the QApplication exists and before the first window is built.
    """
    if system_families is None:
        system_families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if system_families or font_file is None:
        return None
    font_id = QFontDatabase.addApplicationFont(str(font_file))
    if BUNDLED_FAMILY not in QFontDatabase.applicationFontFamilies(font_id):
        return None
    font = app.font()
    font.setFamilies([*font.families(), BUNDLED_FAMILY])
    font.setVariableAxis(QFont.Tag("wght"), _REGULAR)
    app.setFont(font)
    return BUNDLED_FAMILY
