"""The exact-text switch beside Generate: the spec, the prompt and the job all follow it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.core.spec_json import spec_from_dict
from app.main import Studio
from app.store.exact_parts import kept_parts
from app.typeset.compose import to_pil
from tests.gui_support import ScriptedService, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui
HEADLINE = "春日限定"


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path)
    made.window.show()
    made.builder.description = "A tea shop poster"
    made.builder.blocks.add("headline", HEADLINE)
    made.builder.n = 1
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))


def test_the_switch_puts_exact_text_in_the_spec_and_prompt(studio: Studio) -> None:
    switch = studio.window.generation.exact_text
    assert switch.accessibleName() == "Exact text" and not switch.isChecked()
    studio.preview.recompute()
    assert HEADLINE in studio.preview.prompt
    QTest.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert studio.builder.spec().exact_text
    studio.preview.recompute()
    assert HEADLINE not in studio.preview.prompt  # the model is asked for the scene alone
    assert "no text" in studio.preview.prompt.lower()
    studio.builder.load(spec_from_dict({"version": 1, "description": "x"}).spec)
    assert not switch.isChecked()  # a spec without it turns the switch off


def test_with_the_switch_on_the_job_composites_the_text_over_the_background(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = ScriptedService(free=True)
    QTest.mouseClick(studio.window.generation.exact_text, Qt.MouseButton.LeftButton)

    async def scenario() -> None:
        await attach(studio, service)
        studio.window.generate()
        await until(
            lambda: [t.state for t in studio.gallery.tiles()] == ["done"],
            studio.gallery.dataChanged,
        )

        # The board's underlay: the selected variation's text-free background, not the composite.
        studio.window.gallery_page.select_row(0)
        studio.window.layout_page.underlay.click()
        board = studio.layout_board
        await until(lambda: board.underlay is not None, board.underlay_changed)

    run(qloop, scenario())
    underlay = studio.layout_board.underlay
    assert underlay is not None
    # One flat colour, where the composite has the headline on it.
    assert to_pil(underlay).convert("RGB").getcolors(16) == [(1024 * 1024, (0x88, 0xAA, 0x88))]
    (request,) = service.requests
    assert HEADLINE not in request.prompt
    record = studio.library.image(studio.gallery.tile(0).image_id)
    parts = kept_parts(record)
    assert parts is not None  # the library keeps the background and the layer beside it
    with Image.open(record.path) as composite, Image.open(parts.background) as background:
        assert composite.size == background.size
        # The scripted background is one flat colour; the composite has the headline on it.
        assert len(background.convert("RGB").getcolors(16) or []) == 1
        colours = composite.convert("RGB").getcolors(1 << 16)
        assert colours is None or len(colours) > 1
    with Image.open(parts.layer) as layer:
        assert layer.getchannel("A").getbbox() is not None
