"""At 1280x800 the builder's ratio chips fit its width, in English and in Chinese (GUI.md §2)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QToolButton

from app.main import Studio
from tests.gui_support import make_studio, run, shut
from tests.test_translations import chinese  # noqa: F401 (the fixture)

pytestmark = pytest.mark.gui


def _clipped_chips(studio: Studio) -> list[str]:
    for role, text in (
        ("headline", "春日限定"),
        ("subhead", "茉莉花茶 新品上市"),
        ("price", "第二杯半价"),
    ):
        studio.builder.blocks.add(role, text)  # the builder scrolls: its scroll bar takes room
    window = studio.window
    window.resize(1280, 800)
    window.show()
    for _ in range(3):
        QApplication.processEvents()  # the blocks, then the scroll bar, then the layout again
    viewport = window.builder_panel.viewport()
    chips = [
        chip
        for chip in window.builder_panel.findChildren(QToolButton)
        if chip.accessibleName().startswith("Ratio ")
    ]
    assert len(chips) >= 14
    assert window.builder_panel.verticalScrollBar().isVisible()
    content = window.builder_panel.widget()
    assert content is not None
    assert content.width() <= viewport.width(), "the builder is cut on its right"
    return [
        chip.accessibleName()
        for chip in chips
        if chip.mapTo(viewport, QPoint(chip.width(), 0)).x() > viewport.width()
        or chip.width() < chip.sizeHint().width()
    ]


def test_ratio_chips_fit_the_builder_in_english(studio: Studio) -> None:
    assert _clipped_chips(studio) == []


@pytest.mark.usefixtures("chinese")
def test_ratio_chips_fit_the_builder_in_chinese(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio = make_studio(tmp_path)
    try:
        assert _clipped_chips(studio) == []
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))
