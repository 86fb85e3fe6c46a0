"""The first window comes early: nothing heavy is imported before it is painted (issue 8).

Timings are measured by packaging/bench_window.py; these tests hold the structure that gives them:
the icon package, the keyring and the HTTP client load after the first paint, on first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

HEAVY = ("qtawesome", "qtpy", "keyring", "httpx2", "openai", "PIL", "numpy")

_FIRST_PAINT = """
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QToolBar
app = QApplication(sys.argv[:1])
from app.main import Studio
from app.store.paths import StudioPaths
studio = Studio(StudioPaths.from_environment())
window = studio.window
seen = {}

def ink(picture) -> int:
    # dark pixels: the light theme's icon glyphs
    return sum(
        1 for x in range(picture.width()) for y in range(picture.height())
        if picture.pixelColor(x, y).alpha() > 200 and picture.pixelColor(x, y).lightness() < 90
    )

def new_button():
    toolbar = window.findChild(QToolBar, "main-toolbar")
    return toolbar.widgetForAction(window.new_action)

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "at_paint" not in seen:
            seen["at_paint"] = sorted(m for m in HEAVY if m in sys.modules)
            seen["size_at_paint"] = new_button().sizeHint().toTuple()
        return False

def after() -> None:
    seen["later"] = sorted(m for m in HEAVY if m in sys.modules)
    seen["size_later"] = new_button().sizeHint().toTuple()
    seen["ink_later"] = ink(new_button().grab().toImage())
    print(json.dumps(seen), flush=True)
    app.quit()

HEAVY = %r
watcher = Painted()
window.installEventFilter(watcher)
window.show()
QTimer.singleShot(1500, after)
app.exec()
"""


def test_nothing_heavy_is_imported_before_the_first_paint(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ZI_STUDIO_HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    result = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT % (HEAVY,)],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["at_paint"] == []
    assert "qtawesome" in seen["later"]  # the icons' glyphs came in just after
    assert seen["ink_later"] > 20
    assert seen["size_later"] == seen["size_at_paint"]  # nothing moved when they did
    assert "openai" not in seen["later"]  # the SDK loads with the engine (Studio.start)
