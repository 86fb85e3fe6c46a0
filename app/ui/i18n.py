"""The window's language: our zh_CN translation and Qt's own, or English (the source strings).

The language follows the system's locale unless the settings choose one. Our ``.qm`` ships in
the package (``app/i18n``); Qt's ``qtbase_zh_CN.qm`` (standard dialogs, context menus) comes from
PySide6 when it has it.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

TRANSLATED: Final = ("zh_CN",)


def translations_dir() -> Path:
    return Path(str(importlib.resources.files("app").joinpath("i18n")))


def ui_language(setting: str, system: QLocale | None = None) -> str:
    """``zh_CN`` or ``en`` for a language setting (``system``, ``zh_CN`` or ``en``)."""
    if setting in (*TRANSLATED, "en"):
        return setting
    locale = system if system is not None else QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language``; keep the returned list alive with the app."""
    if language not in TRANSLATED:
        return []
    installed = []
    ours = QTranslator(app)
    if ours.load(str(translations_dir() / f"{language}.qm")):
        installed.append(ours)
    qt_own = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_dir):
        installed.append(qt_own)
    for translator in installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(language))
    return installed
