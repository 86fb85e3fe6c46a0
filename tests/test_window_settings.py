"""The settings dialog in the window: Ctrl+, opens it, and what it changes takes effect at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit

from app.main import Studio
from app.store.settings import SettingsFile
from app.ui.theme import Theme, is_dark
from tests.gui_support import run, until

pytestmark = pytest.mark.gui


def _base_url_field(studio: Studio) -> QLineEdit:
    for field in studio.settings_dialog.findChildren(QLineEdit):
        if field.accessibleName() == "Base URL":
            assert isinstance(field, QLineEdit)
            return field
    raise AssertionError("no Base URL field")


def test_ctrl_comma_opens_the_settings_and_the_engine_follows_them(
    qloop: asyncio.AbstractEventLoop, studio: Studio, tmp_path: Path
) -> None:
    async def scenario() -> None:
        await studio.start(load_settings=False)
        generator = studio.generator
        assert generator.engine is not None and generator.engine.kind == "local"

        studio.window.settings_action.trigger()
        dialog = studio.settings_dialog
        assert dialog is not None and dialog.isVisible()
        assert studio.window.settings_action.shortcut().toString() == "Ctrl+,"

        dialog.engine_button("custom").click()
        _base_url_field(studio).setText("http://127.0.0.1:8765/v1")
        dialog.accept()
        assert not dialog.isVisible()
        await until(
            lambda: generator.engine is not None and generator.engine.kind == "custom",
            generator.engine_changed,
        )
        assert "127.0.0.1:8765" in studio.window.status.engine.text()

        studio.window.settings_action.trigger()
        dialog.engine_button("local").click()
        dialog.accept()
        await until(
            lambda: generator.engine is not None and generator.engine.kind == "local",
            generator.engine_changed,
        )
        assert studio.window.status.engine.text() == "Engine: local drafts"  # asked for, no key

    run(qloop, scenario())
    run(qloop, studio.stop())  # stopping writes the pending save
    saved = SettingsFile(tmp_path / "config" / "settings.json").load()
    assert (saved.engine, saved.base_url) == ("local", "http://127.0.0.1:8765/v1")


def test_the_theme_chosen_in_the_settings_is_applied_at_once(
    qapp: QApplication, studio: Studio
) -> None:
    palette = qapp.palette()
    theme = Theme(qapp, studio.settings.theme)
    studio.follow_theme(theme)
    try:
        studio.settings_model.set_value("theme", "dark")
        assert is_dark(qapp.palette())
        studio.settings_model.set_value("theme", "light")
        assert not is_dark(qapp.palette())
    finally:
        theme.deleteLater()
        qapp.setPalette(palette)
