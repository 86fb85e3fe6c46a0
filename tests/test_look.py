"""Theme, icons and the UI font: dark and light follow the system or the settings, icons follow the
palette, and Chinese never shows as empty boxes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QIcon, QImage, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle

from app.typeset.fonts import packaged_font_path
from app.ui.icons import GLYPHS, icon, load_icon_package
from app.ui.theme import StudioStyle, Theme, is_dark
from app.ui.ui_font import BUNDLED_FAMILY, install_cjk_fallback

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def icon_package(qapp: QApplication) -> None:
    """As after the window's first paint (``app.ui.icons`` loads it then)."""
    load_icon_package()


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    palette, style = qapp.palette(), qapp.style().name()
    theme = Theme(qapp, "light")
    yield theme
    theme.deleteLater()
    qapp.setPalette(palette)
    qapp.setStyle(style)


def _ink(image: QImage) -> list[int]:
    """The lightness of every opaque pixel of an icon."""
    return [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


def test_the_theme_switches_the_palette_at_run_time(qapp: QApplication, theme: Theme) -> None:
    style = qapp.style()
    assert isinstance(style, StudioStyle) and style.baseStyle().name().lower() == "fusion"
    assert style.styleHint(QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons) == 0
    assert not is_dark(qapp.palette())
    changes: list[bool] = []
    theme.dark_changed.connect(changes.append)

    theme.set_choice("dark")
    dark = qapp.palette()
    assert is_dark(dark) and theme.dark
    assert dark.color(dark.ColorRole.Text).lightness() > 200  # light text on a dark base
    assert dark.color(dark.ColorRole.Base).lightness() < 60
    theme.set_choice("light")
    assert not is_dark(qapp.palette())
    assert changes == [True, False]


def test_the_system_theme_is_followed_while_the_settings_say_system(
    qapp: QApplication, theme: Theme
) -> None:
    hints = qapp.styleHints()
    theme.set_choice("system")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform sends on a switch
    assert is_dark(qapp.palette())
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(qapp.palette())

    theme.set_choice("dark")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the settings win
    assert is_dark(qapp.palette())


def test_icons_follow_the_palette_and_stay_sharp(qapp: QApplication, theme: Theme) -> None:
    save = icon("save")
    light_ink = _ink(save.pixmap(32, 32).toImage())
    theme.set_choice("dark")
    dark_ink = _ink(save.pixmap(32, 32).toImage())  # the same QIcon, not made again

    assert light_ink and dark_ink
    assert max(light_ink) < 80 < 200 < min(dark_ink)
    disabled = _ink(save.pixmap(32, 32, QIcon.Mode.Disabled).toImage())
    assert 80 < max(disabled) < 200
    doubled = save.pixmap(QSize(32, 32), 2.0)
    assert (doubled.width(), doubled.devicePixelRatio()) == (64, 2.0)


def test_every_named_icon_draws_something(qapp: QApplication) -> None:
    assert {"new", "open", "save", "generate", "cancel", "favourite", "delete", "copy",
            "settings", "zoom-in", "zoom-out", "zoom-fit"} <= set(GLYPHS)  # fmt: skip
    blank = [name for name in GLYPHS if not _ink(icon(name).pixmap(24, 24).toImage())]
    assert blank == []
    with pytest.raises(KeyError):
        icon("sparkles")


def _family_drawing(text: str, font: QFont) -> set[str]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName().lower() for run in layout.glyphRuns()}


@pytest.fixture
def ui_font(qapp: QApplication) -> Iterator[None]:
    font = qapp.font()
    yield
    qapp.setFont(font)


def test_the_ui_font_falls_back_to_the_bundled_cjk_font(qapp: QApplication, ui_font: None) -> None:
    assert install_cjk_fallback(qapp, packaged_font_path(), system_families=["Some CJK"]) is None
    assert BUNDLED_FAMILY not in qapp.font().families()

    added = install_cjk_fallback(qapp, packaged_font_path(), system_families=[])

    assert added == BUNDLED_FAMILY
    font = qapp.font()
    assert font.families()[-1] == BUNDLED_FAMILY
    assert BUNDLED_FAMILY.lower() in _family_drawing("生成画面描述", font)
    assert font.variableAxisTags() == [QFont.Tag("wght")]  # Regular, not the file's Thin
    assert font.variableAxisValue(QFont.Tag("wght")) == 400.0


def test_without_the_font_file_nothing_changes(qapp: QApplication, ui_font: None) -> None:
    before = qapp.font()
    assert install_cjk_fallback(qapp, None, system_families=[]) is None
    assert qapp.font() == before
