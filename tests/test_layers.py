"""The one-way layers of DESIGN §2, and the PySide6 version the studio depends on."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).parents[1] / "app"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _layer_imports(layer: str) -> dict[Path, set[str]]:
    return {path: _imports(path) for path in sorted((APP / layer).rglob("*.py"))}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("core", ("PySide6", "shiboken6", "openai", "httpx2", "app.typeset", "app.engine",
                  "app.store", "app.model", "app.ui", "sqlite3", "keyring")),
        ("typeset", ("PySide6.QtWidgets", "app.engine", "app.store", "app.model", "app.ui")),
        ("engine", ("PySide6.QtWidgets", "app.store", "app.model", "app.ui")),
        ("store", ("PySide6", "app.engine", "app.model", "app.ui", "app.typeset")),
        ("model", ("PySide6.QtWidgets", "app.ui", "app.cli", "openai", "httpx2")),
        ("ui", ("app.engine", "app.store", "app.jobs", "app.cli", "openai", "httpx2", "sqlite3",
                "keyring", "PySide6.QtNetwork")),
    ],
)  # fmt: skip
def test_layers_import_only_downwards(layer: str, forbidden: tuple[str, ...]) -> None:
    offenders = [
        f"{path.relative_to(APP.parent)} imports {name}"
        for path, names in _layer_imports(layer).items()
        for name in names
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    ]
    assert offenders == []


def test_the_layer_check_catches_a_widget_importing_the_store(tmp_path: Path) -> None:
    """The check above must fail on the imports it forbids, written either way."""
    module = tmp_path / "widget.py"
    module.write_text("import app.store.library\nfrom app.engine.runner import EngineRunner\n")
    assert {"app.store.library", "app.engine.runner"} <= _imports(module)


def test_the_window_loads_the_sdk_only_after_it_is_shown() -> None:
    """Building every window module must not import openai (~0.7 s): DESIGN §2."""
    code = (
        "import sys\n"
        "import app.main, app.ui.main_window, app.model.generation\n"
        "print('openai' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_core_runs_without_pyside6_installed() -> None:
    """Importing every core module with PySide6 made unimportable must work."""
    modules = [f"app.core.{p.stem}" for p in sorted((APP / "core").glob("*.py"))]
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('PySide6 is not allowed in app.core')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "print('imported', len(" + repr(modules) + "))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported")


def test_hundred_thousand_signal_emits_do_not_abort() -> None:
    """PySide6 6.12.0 on Python 3.11 aborted after a few thousand emits (bool_dealloc)."""
    code = """
from PySide6.QtCore import QObject, Signal

class Source(QObject):
    flag = Signal(bool)
    thing = Signal(object)

received = []
source = Source()
source.flag.connect(lambda value: received.append(value))
source.thing.connect(lambda value: received.append(value))
for index in range(50_000):
    source.flag.emit(index % 2 == 0)
    source.thing.emit(None)
print(len(received))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "100000"
