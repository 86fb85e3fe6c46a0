"""The window's process owns the one QApplication: the embedded engine never makes its own."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication

from app.typeset.fonts import ensure_gui_application

pytestmark = pytest.mark.gui


def test_an_existing_application_is_used_and_the_environment_left_alone(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    before = dict(os.environ)
    assert ensure_gui_application() is qapp
    assert dict(os.environ) == before


def test_the_engine_in_a_window_process_uses_the_window_application() -> None:
    """In a fresh process: the window's QApplication exists first; the engine keeps to it."""
    code = """
import os
os.environ.pop("QT_QPA_PLATFORM", None)
from PySide6.QtWidgets import QApplication
app = QApplication(["zi-studio", "-platform", "offscreen"])
before = dict(os.environ)
from app.engine.local import create_app
create_app()
from PySide6.QtCore import QCoreApplication
assert QCoreApplication.instance() is app
assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items())
print("ok")
"""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_without_an_application_one_is_made_offscreen() -> None:
    """The command line's path: no display, no application yet, so an offscreen one is made."""
    code = """
import os
os.environ.pop("QT_QPA_PLATFORM", None)
from app.typeset.fonts import ensure_gui_application
app = ensure_gui_application()
print(type(app).__name__, os.environ["QT_QPA_PLATFORM"], app.platformName())
"""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["QGuiApplication", "offscreen", "offscreen"]
