"""The Edit dock: turns make versions in a tree, branch, revert, compare, replace-text, finalize,
masks pasted back, refused turns shown inline, services without edits, and a restart."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path

import numpy
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.compiler import parse_prompt
from app.core.request import ImageRequest
from app.core.service_profile import ServiceProfile
from app.engine.errors import ModerationBlockedError
from app.engine.service import CompletedImage, ImageEvent, ImageFailed
from app.main import Studio
from app.model.conversation import TurnRow
from app.store.versions import VersionTree
from tests.gui_support import USAGE, attach, make_studio, run, shut, until

pytestmark = pytest.mark.gui

SIDE = 1024


def gradient(width: int, height: int) -> bytes:
    """An image whose every pixel differs from its neighbours' (so a copied pixel is the same)."""
    y, x = numpy.mgrid[0:height, 0:width]
    pixels = numpy.stack([(x * 7) % 256, (y * 5) % 256, (x + y) % 256], axis=-1)
    image = Image.fromarray(pixels.astype(numpy.uint8), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def solid(width: int, height: int, colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


class EditService:
    """Generates a gradient; every edit comes back one flat colour (every pixel changed)."""

    def __init__(self) -> None:
        self.requests: list[ImageRequest] = []
        self.refuse_next = False
        self.profile = ServiceProfile("https://example.test/v1")

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        width, height = (
            (SIDE, SIDE) if request.size == "auto" else map(int, request.size.split("x"))
        )
        if request.kind == "edit" and self.refuse_next:
            self.refuse_next = False
            yield ImageFailed(
                ModerationBlockedError(
                    "Your request was rejected by the safety system.",
                    stage="input", categories=("violence",),
                )
            )  # fmt: skip
            return
        for index in range(request.n):
            data = (
                gradient(width, height)
                if request.kind == "generate"
                else solid(width, height, ["#ff00ff", "#00ffff", "#ffff00", "#000000"][index])
            )
            yield CompletedImage(index, data, width, height, "png", USAGE)


@pytest.fixture
def service() -> EditService:
    return EditService()


def open_studio(loop: asyncio.AbstractEventLoop, home: Path, service: EditService) -> Studio:
    made = make_studio(home)
    made.window.show()
    made.builder.description = "A training camp poster"
    made.builder.blocks.add("headline", "AI Engineering")
    made.builder.blocks.add("subhead", "春日限定")
    made.builder.n = 1
    run(loop, attach(made, service))
    made.edits.follow_profile(lambda: service.profile)
    return made


def close_studio(loop: asyncio.AbstractEventLoop, studio: Studio) -> None:
    studio.window._confirmed_close = True
    run(loop, shut(studio))


@pytest.fixture
def studio(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path, service: EditService
) -> Iterator[Studio]:
    made = open_studio(qloop, tmp_path, service)
    yield made
    close_studio(qloop, made)


def tree(studio: Studio) -> VersionTree:
    found = studio.edits.tree
    assert found is not None
    return found


def rows(studio: Studio) -> tuple[TurnRow, ...]:
    return studio.edits.conversation.rows()


async def first_image(studio: Studio) -> int:
    """Generate once and wait for the edit panel to show the new image's tree."""
    studio.window.generate()
    await until(
        lambda: studio.edits.tree is not None and not studio.edits.busy,
        studio.edits.tree_changed,
    )
    return tree(studio).root_id


async def turn(studio: Studio, qtbot: QtBot, instruction: str, versions: int) -> None:
    panel = studio.window.edit_panel
    panel.instruction.setPlainText(instruction)
    QTest.keyClick(panel.instruction, Qt.Key.Key_Return)
    await until(
        lambda: len(tree(studio).versions) == versions and not studio.edits.busy
        and all(row.state != "pending" for row in rows(studio)),
        studio.edits.tree_changed, studio.edits.busy_changed,
    )  # fmt: skip


def test_turns_make_a_chain_a_branch_revert_and_compare_and_survive_a_restart(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, service: EditService, tmp_path: Path
) -> None:
    studio = open_studio(qloop, tmp_path, service)
    try:
        ids = _chain_branch_revert_compare(qloop, qtbot, studio, service)
    finally:
        close_studio(qloop, studio)
    v1, v2 = ids

    # A restart: the tree, its turns and the current version come back.
    again = make_studio(tmp_path)
    again.window.show()

    async def reopen() -> None:
        await attach(again, service)
        again.edits.open_tree(v1)
        await until(lambda: again.edits.tree is not None, again.edits.tree_changed)

    try:
        run(qloop, reopen())
        back = tree(again)
        assert len(back.versions) == 4 and back.current_id == v2
        assert [r.instruction for r in rows(again)] == [
            "swap the background to a sunset, leave everything else",
            "make the headline 30% larger",
            "make it a winter scene",
        ]
        assert again.window.edit_panel.versions.tree.model().rowCount() == 1  # one root
    finally:
        close_studio(qloop, again)


def _chain_branch_revert_compare(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> tuple[int, int]:
    panel = studio.window.edit_panel

    async def scenario() -> tuple[int, int]:
        v1 = await first_image(studio)
        await turn(studio, qtbot, "swap the background to a sunset, leave everything else", 2)
        v2 = tree(studio).current_id
        await turn(studio, qtbot, "make the headline 30% larger", 3)
        v3 = tree(studio).current_id
        parents = {v.image.id: v.image.parent_image_id for v in tree(studio).versions}
        assert parents == {v1: None, v2: v1, v3: v2}  # a chain of three versions
        edit = service.requests[-1]
        assert edit.kind == "edit" and edit.images[0] == str(tree(studio).version(v2).image.path)  # type: ignore[union-attr]
        assert "make the headline 30% larger" in edit.prompt
        assert [b.text for b in parse_prompt(edit.prompt).blocks] == ["AI Engineering", "春日限定"]

        # Shift+Enter is a new line, not a send.
        panel.instruction.setPlainText("winter")
        panel.instruction.moveCursor(panel.instruction.textCursor().MoveOperation.End)
        QTest.keyClick(panel.instruction, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        assert panel.instruction.toPlainText() == "winter\n"
        assert len(service.requests) == 3

        # Continue from version 1: a branch.
        panel.versions.select(v1)
        panel.versions.continue_action.trigger()
        assert tree(studio).current_id == v1
        await turn(studio, qtbot, "make it a winter scene", 4)
        v4 = tree(studio).current_id
        assert tree(studio).version(v4).image.parent_image_id == v1  # type: ignore[union-attr]
        root_item = studio.edits.versions.item_of(v1)
        assert root_item is not None and root_item.rowCount() == 2  # two branches under v1
        assert [r.instruction for r in rows(studio)] == [
            "swap the background to a sunset, leave everything else",
            "make the headline 30% larger",
            "make it a winter scene",
        ]
        assert all(r.image_ids and r.failure is None for r in rows(studio))

        # Revert to version 2.
        panel.versions.select(v2)
        panel.versions.revert_action.trigger()
        assert tree(studio).current_id == v2
        assert studio.edits.versions.item_of(v2).font().bold()  # type: ignore[union-attr]
        await studio.funnel.drain()  # the library is told off the GUI thread
        assert studio.library.versions.tree_of(v1).current_id == v2

        # Compare v1 and v3: side by side, in step, then as a swipe.
        model = studio.edits.versions
        selection = panel.versions.tree.selectionModel()
        selection.clearSelection()
        for image_id in (v1, v3):
            selection.select(model.item_of(image_id).index(), selection.SelectionFlag.Select)  # type: ignore[union-attr]
        panel.versions.compare_action.trigger()
        page = studio.window.compare_page
        assert studio.window.tabs.currentWidget() is page
        await until(
            lambda: page.left.has_image and page.right.has_image,
            page.left.zoomed,
            page.right.zoomed,
        )
        assert page.caption.text() == "v1 ↔ v3"
        page.left.zoom(2.0)
        left = page.left.view.transform().m11() * page.left.picture_width()
        right = page.right.view.transform().m11() * page.right.picture_width()
        assert right == pytest.approx(left)
        page.use_swipe(True)
        assert page.stack.currentWidget() is page.swipe and page.swipe.has_images
        page.swipe.set_position(0.25)
        assert page.swipe.divider_x() == pytest.approx(0.25 * page.swipe.scene_width())
        return v1, v2

    return run(qloop, scenario())
