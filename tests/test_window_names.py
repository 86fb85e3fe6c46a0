"""Docks have fixed English accessible names, the same in the Chinese UI (CONTRACTS §5)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDockWidget

from tests.gui_support import make_studio, run, shut
from tests.test_translations import chinese  # noqa: F401 (the fixture)

pytestmark = pytest.mark.gui


@pytest.mark.usefixtures("chinese")
def test_dock_names_stay_english_in_the_chinese_ui(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path)
    try:
        docks = {dock.objectName(): dock for dock in studio.window.findChildren(QDockWidget)}
        assert docks["builder-dock"].windowTitle() == "设计"  # the title is translated
        names = {name: dock.accessibleName() for name, dock in docks.items()}
        assert names["builder-dock"] == "Builder panel"
        assert names["jobs-dock"] == "Jobs panel"
        for name, accessible in names.items():  # a dock added later gets one the same way
            assert accessible == f"{name.removesuffix('-dock').capitalize()} panel"
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))
