"""The settings dialog: fields to and from the model, inline problems, the key, the test button."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from app.engine.probe import ProbeResult, probe_service
from app.engine.runner import EngineRunner
from app.model.api_key_model import ApiKeyModel
from app.model.connection_test import ConnectionTester
from app.model.settings_model import SettingsModel, load_settings
from app.store.settings import Settings
from app.ui.settings_dialog import SettingsDialog
from tests.memory_keyring import MemoryKeyring
from tests.widget_texts import visible_texts

pytestmark = pytest.mark.gui

KEY = "sk-proj-DIALOGdialogDIALOG0123456789"


class Opened:
    """A dialog over models read from a settings file, as the window builds it."""

    def __init__(self, qtbot: QtBot, path: Path, engine_runner: EngineRunner) -> None:
        loaded = load_settings(path)
        self.settings = SettingsModel(loaded.settings, loaded.file, save_delay_ms=10_000)
        self.keys = ApiKeyModel(env={})
        self.seen: list[str] = []

        def answer(request: httpx2.Request) -> httpx2.Response:
            self.seen.append(str(request.url))
            return httpx2.Response(200, json={"object": "list", "data": [{"id": "m"}]})

        async def probe(base_url: str | None, key: str | None) -> ProbeResult:
            return await probe_service(base_url, key, transport=httpx2.MockTransport(answer))

        self.tester = ConnectionTester(engine_runner.submit, probe=probe, read_key=lambda: None)
        self.dialog = SettingsDialog(
            self.settings, self.keys, self.tester, models=("gpt-image-2", "gpt-image-1.5")
        )
        qtbot.addWidget(self.dialog)
        with qtbot.waitSignal(self.keys.source_changed):
            self.keys.refresh()

    def control(self, kind: type[QWidget], name: str) -> QWidget:
        found = [w for w in self.dialog.findChildren(kind) if w.accessibleName() == name]
        assert len(found) == 1, name
        return found[0]

    def line(self, name: str) -> QLineEdit:
        widget = self.control(QLineEdit, name)
        assert isinstance(widget, QLineEdit)
        return widget

    def button(self, name: str) -> QPushButton:
        widget = self.control(QPushButton, name)
        assert isinstance(widget, QPushButton)
        return widget

    def close(self) -> None:
        self.settings.close()
        self.keys.close()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner
) -> None:
    opened = Opened(qtbot, tmp_path / "settings.json", engine_runner)
    unnamed = [
        type(widget).__name__
        for widget in opened.dialog.findChildren(QWidget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName()
        and widget.window() is opened.dialog  # not a combo box's popup list
        and not isinstance(widget.parent(), QComboBox | QSpinBox)  # their line edits
    ]
    assert unnamed == []
    opened.close()


def test_settings_changed_in_the_dialog_survive_a_restart(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner
) -> None:
    path = tmp_path / "config" / "settings.json"
    first = Opened(qtbot, path, engine_runner)
    first.dialog.engine_button("custom").click()
    first.line("Base URL").setText("http://127.0.0.1:8765/v1")
    first.line("Spending cap").setText("$2.50")
    spin = first.control(QSpinBox, "Jobs at once")
    assert isinstance(spin, QSpinBox) and spin.maximum() == 4
    spin.setValue(3)
    theme = first.control(QComboBox, "Theme")
    assert isinstance(theme, QComboBox)
    theme.setCurrentIndex(theme.findData("dark"))
    with qtbot.waitSignal(first.dialog.accepted):
        first.dialog.accept()
    first.close()  # writes the pending save, as on exit

    second = Opened(qtbot, path, engine_runner)
    expected = Settings().with_values(
        {"engine": "custom", "base_url": "http://127.0.0.1:8765/v1", "spending_cap_usd": 2.5,
         "concurrency": 3, "theme": "dark"}
    )  # fmt: skip
    assert second.settings.settings == expected
    assert second.dialog.engine_button("custom").isChecked()
    assert second.line("Spending cap").text() == "2.5"
    second.close()


@pytest.mark.parametrize(
    ("field", "typed", "problem"),
    [
        ("Base URL", "", "Enter the base URL of the custom service."),
        ("Base URL", "http://images.example.com/v1", "needs https://"),
        ("Base URL", "https://me:pw@images.example.com/v1", "Leave the user name and password"),
        ("Spending cap", "lots", "Enter an amount in US dollars"),
        ("Spending cap", "-1", "Enter at least 0."),
    ],
)
def test_invalid_values_are_refused_with_a_message_under_their_field(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner, field: str, typed: str, problem: str
) -> None:
    opened = Opened(qtbot, tmp_path / "settings.json", engine_runner)
    opened.dialog.engine_button("custom").click()
    opened.line("Base URL").setText("https://images.example.com/v1")
    opened.line(field).setText(typed)

    with (
        qtbot.assertNotEmitted(opened.dialog.accepted),
        qtbot.assertNotEmitted(opened.settings.changed),
    ):
        opened.dialog.accept()

    name = {"Base URL": "base_url", "Spending cap": "spending_cap_usd"}[field]
    assert problem in opened.dialog.problem_text(name)
    assert opened.settings.settings == Settings()
    opened.line(field).setText("https://images.example.com/v1" if name == "base_url" else "")
    with qtbot.waitSignal(opened.dialog.accepted):
        opened.dialog.accept()
    assert opened.dialog.problem_text(name) == ""
    opened.close()


def test_the_key_is_stored_and_removed_but_never_shown(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner, memory: MemoryKeyring
) -> None:
    opened = Opened(qtbot, tmp_path / "settings.json", engine_runner)
    source = opened.control(QLabel, "API key source")
    assert isinstance(source, QLabel)
    assert "None" in source.text()
    assert not opened.button("Store key").isEnabled()
    assert not opened.button("Remove key").isEnabled()

    opened.line("New API key").setText(KEY)
    assert opened.line("New API key").echoMode() == QLineEdit.EchoMode.Password
    with qtbot.waitSignal(opened.keys.source_changed):
        opened.button("Store key").click()
    assert opened.line("New API key").text() == ""
    assert "keyring" in source.text()
    assert memory.passwords[("zi-studio", "openai-api-key")] == KEY
    assert threading.main_thread().name not in memory.threads
    shown = [text for _, text in visible_texts(opened.dialog)]
    assert shown and not any("0123456789" in text for text in shown)

    with qtbot.waitSignal(opened.keys.source_changed):
        opened.button("Remove key").click()
    assert "None" in source.text() and memory.passwords == {}
    opened.close()


def test_test_connection_reports_in_words_and_refuses_a_bad_url_first(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner
) -> None:
    opened = Opened(qtbot, tmp_path / "settings.json", engine_runner)
    opened.dialog.engine_button("local").click()
    assert not opened.button("Test connection").isEnabled()  # nothing to connect to

    opened.dialog.engine_button("custom").click()
    opened.line("Base URL").setText("http://images.example.com/v1")
    opened.button("Test connection").click()
    assert "https://" in opened.dialog.problem_text("base_url")
    assert opened.seen == []

    opened.line("Base URL").setText("http://127.0.0.1:8765/v1")
    with qtbot.waitSignal(opened.tester.finished, timeout=5000):
        opened.button("Test connection").click()
    result = opened.control(QLabel, "Connection result")
    assert isinstance(result, QLabel)
    assert result.text() == "✓ Connected: the service offers 1 model(s)."
    assert opened.seen == ["http://127.0.0.1:8765/v1/models"]
    assert opened.settings.settings == Settings()  # testing saves nothing
    opened.close()


def test_cancel_puts_the_fields_back(
    qtbot: QtBot, tmp_path: Path, engine_runner: EngineRunner
) -> None:
    opened = Opened(qtbot, tmp_path / "settings.json", engine_runner)
    opened.line("Spending cap").setText("9")
    opened.dialog.engine_button("local").click()
    opened.dialog.reject()
    assert opened.line("Spending cap").text() == ""
    assert opened.dialog.engine_button("openai").isChecked()
    assert opened.settings.settings == Settings()
    opened.close()
