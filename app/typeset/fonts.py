"""Fonts for typesetting: the packaged Noto Sans CJK, a system CJK font as fallback, and QFonts.

The default font is the variable Noto Sans CJK collection from the ``manimgx-fonts-cjk`` package
(SIL OFL 1.1). Two traps in it: the collection's first face is Japanese, whose glyph forms are
wrong for Chinese, so the Simplified Chinese family is chosen by name; and its default instance is
Thin, so the ``wght`` axis is set for every weight, Regular included.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

DEFAULT_FAMILY: Final = "Noto Sans CJK SC"
FONT_PACKAGE: Final = "manimgx_fonts_cjk"
FONT_FILE: Final = "NotoSansCJK-VF.otf.ttc"

# Well-known Simplified Chinese families, best first; any other SC-capable family comes after.
PREFERRED_SYSTEM_FAMILIES: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "PingFang SC",
    "Microsoft YaHei",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
)

_WGHT: Final = QFont.Tag("wght")

# Keeps the application object alive when this module had to create it.
_owned_app: list[QGuiApplication] = []


class FontError(RuntimeError):
    """No font that can set Chinese text is available; the message says what to install."""


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, created (offscreen when there is no display) if there is none.

    Fonts and text layout need one. The command line and the local server have no display: when
    neither DISPLAY nor WAYLAND_DISPLAY is set, and QT_QPA_PLATFORM is not set either, Qt's
    offscreen platform is used.
    """
    existing = QCoreApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if existing is not None:
        raise FontError(
            "Typesetting needs a QGuiApplication, but a plain QCoreApplication is already running."
        )
    no_display = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if no_display and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QGuiApplication(["zi-studio"])
    _owned_app.append(app)
    return app


def packaged_font_path() -> Path | None:
    """The variable Noto Sans CJK file from ``manimgx-fonts-cjk``, or None if not installed."""
    if importlib.util.find_spec(FONT_PACKAGE) is None:
        return None
    resource = importlib.resources.files(FONT_PACKAGE).joinpath(FONT_FILE)
    path = Path(str(resource))
    return path if path.is_file() else None


def choose_system_family(families: Iterable[str]) -> str | None:
    """The best of the given Simplified-Chinese-capable families, or None if there are none."""
    available = list(families)
    for preferred in PREFERRED_SYSTEM_FAMILIES:
        if preferred in available:
            return preferred
    return sorted(available)[0] if available else None


def _system_cjk_families() -> list[str]:
    return QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)


@functools.cache
def default_family() -> str:
    """The family the typesetter uses when a block names none (loaded on first use).

    Raises FontError when neither the packaged font nor a system CJK font is available.
    """
    ensure_gui_application()
    path = packaged_font_path()
    if path is not None:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if DEFAULT_FAMILY in QFontDatabase.applicationFontFamilies(font_id):
            return DEFAULT_FAMILY
    system = choose_system_family(_system_cjk_families())
    if system is None:
        raise FontError(
            "No font for Chinese text was found. Install the default font with "
            "'pip install manimgx-fonts-cjk', or a system CJK font "
            "(for example 'apt install fonts-noto-cjk')."
        )
    return system


def available_families() -> list[str]:
    """The families a block may name: the packaged default first, then the system's CJK fonts."""
    default = default_family()
    return [default, *sorted(set(_system_cjk_families()) - {default})]


def resolve_family(name: str | None) -> str:
    """``name`` when it is an installed family that sets Chinese, else the default family.

    A family without Chinese glyphs (or a misspelt one) would set the text in boxes or in a
    fallback chosen by the platform; the default font is the predictable choice.
    """
    if name is None:
        return default_family()
    return name if name in available_families() else default_family()


@functools.cache
def has_weight_axis(family: str) -> bool:
    """Whether the family is a variable font with a ``wght`` axis."""
    ensure_gui_application()
    axes = QFontInfo(QFont([family])).variableAxes()
    return any(axis.tag() == _WGHT for axis in axes)


def _weight_step(weight: int) -> int:
    """The weight rounded to a hundred in 100..900: QFont.Weight only has those values."""
    return min(900, max(100, round(weight / 100) * 100))


def make_font(pixel_size: int, weight: int, family: str | None = None) -> QFont:
    """A QFont of a pixel size and CSS weight (100..900) in the family (default font if None).

    For a variable font the weight is set on the ``wght`` axis. The QFont's own weight then stays
    below Bold: at Bold and above Qt would embolden the outlines a second time, synthetically,
    because the face's style is Thin.
    """
    name = family if family is not None else default_family()
    font = QFont([name])
    font.setPixelSize(max(1, pixel_size))
    # Unhinted outlines scale linearly with size, which keeps fitting by size search predictable.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    if has_weight_axis(name):
        font.setVariableAxis(_WGHT, float(min(900, max(100, weight))))
        font.setWeight(QFont.Weight(min(_weight_step(weight), 600)))
    else:
        font.setWeight(QFont.Weight(_weight_step(weight)))
    return font
