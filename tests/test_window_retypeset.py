"""Exact-text images follow the texts: a changed headline, box or look sets the selected image's
text again over its kept background, as a new version, with no request and no cost."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncGenerator, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops
from PySide6.QtGui import QAccessible, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from app.core.metadata import read_metadata
from app.core.request import ImageRequest
from app.core.spec import TextBlock
from app.engine.service import ImageEvent
from app.main import Studio
from app.model.conversation import TurnRow
from app.store.exact_parts import kept_parts
from app.store.records import ImageRecord
from app.ui.turn_delegate import footer, heading
from tests.gui_support import make_studio, run, shut, until

pytestmark = pytest.mark.gui
HEADLINE = "春日限定"
WAIT = 20.0  # a version is saved within a second of the pause; without it, this fails in time


class CountingService:
    """The embedded engine's service, counting the requests that reach it."""

    def __init__(self, service: Any, requests: list[ImageRequest]) -> None:
        self._service = service
        self.requests = requests

    def with_extra_body(self, extra: dict[str, Any]) -> CountingService:
        return CountingService(self._service.with_extra_body(extra), self.requests)

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        generate: AsyncGenerator[ImageEvent, None] = self._service.generate(request)
        return generate

    def edit(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        edit: AsyncGenerator[ImageEvent, None] = self._service.edit(request)
        return edit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))


def exact_text_image(
    studio: Studio, qloop: asyncio.AbstractEventLoop, *, exact: bool = True
) -> list[ImageRequest]:
    """One exact-text image (or, not ``exact``, an ordinary one) made on the embedded engine and
    selected; then every request that reaches the engine is counted in the list returned."""
    requests: list[ImageRequest] = []

    async def scenario() -> None:
        await studio.start(load_settings=False)
        studio.builder.description = "A tea shop poster"
        studio.builder.blocks.add("headline", HEADLINE)
        studio.builder.n = 1
        studio.builder.quality = "low"
        studio.builder.exact_text = exact
        studio.window.generate()
        await until(
            lambda: [t.state for t in studio.gallery.tiles()] == ["done"],
            studio.gallery.dataChanged,
        )
        studio.window.gallery_page.select_row(0)
        runner = studio._runner
        assert runner is not None
        runner._service = CountingService(runner._service, requests)

    run(qloop, scenario())
    return requests


def wait_for_version(studio: Studio, qloop: asyncio.AbstractEventLoop, old: int) -> ImageRecord:
    """The tile shows a version other than ``old``, and nothing more is waiting to be saved."""
    retypesetter = studio.retypesetter
    run(
        qloop,
        until(
            lambda: studio.gallery.tile(0).image_id != old and not retypesetter.busy,
            studio.gallery.dataChanged, retypesetter.busy_changed, timeout=WAIT,
        ),
    )  # fmt: skip
    image_id = studio.gallery.tile(0).image_id
    assert image_id is not None
    record: ImageRecord | None = studio.library.image(image_id)
    assert record is not None
    return record


def headline_of(path: Path) -> str:
    payload = read_metadata(path.read_bytes())
    assert payload is not None
    return str(payload["spec"]["texts"][0]["text"])


def text_editor(studio: Studio) -> QPlainTextEdit:
    (editor,) = [
        w for w in studio.window.findChildren(QWidget) if w.accessibleName() == "Text 1"
    ]  # fmt: skip
    assert isinstance(editor, QPlainTextEdit)
    return editor


def test_a_new_headline_makes_a_new_version_in_the_gallery_with_no_request(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    requests = exact_text_image(studio, qloop)
    first = studio.gallery.tile(0)
    assert first.image_id is not None and first.path is not None
    original = studio.library.image(first.image_id)
    assert original is not None
    viewer = studio.window.gallery_page.viewer
    run(qloop, until(lambda: viewer.has_image, studio.gallery.image_ready, timeout=WAIT))
    large_before = viewer._item.pixmap().toImage()

    studio.builder.blocks.set_text(0, "夏日特饮")
    record = wait_for_version(studio, qloop, first.image_id)
    # The large view shows the new version too.
    changed = lambda: viewer._item.pixmap().toImage() != large_before  # noqa: E731
    run(qloop, until(changed, studio.gallery.image_ready, timeout=WAIT))

    tile = studio.gallery.tile(0)
    assert tile.path == record.path and tile.actual_usd == 0.0
    assert headline_of(record.path) == "夏日特饮"  # the spec in the file is the new one
    assert headline_of(original.path) == HEADLINE  # the old version stays as it was
    assert record.parent_image_id == original.id  # a child in its version tree
    job = studio.library.job(record.job_id)
    assert job is not None and job.actual_usd == 0.0 and job.status == "done"
    tree = studio.library.versions.tree_of(original.id)
    assert tree is not None and [v.image.id for v in tree.versions] == [original.id, record.id]
    assert tree.current_id == record.id
    new_parts, old_parts = kept_parts(record), kept_parts(original)
    assert new_parts is not None and old_parts is not None
    assert new_parts.background.samefile(old_parts.background)  # the same file, not a copy
    with Image.open(new_parts.layer) as new, Image.open(old_parts.layer) as old:
        assert ImageChops.difference(new, old).getbbox() is not None  # another text layer
    with Image.open(record.path) as new, Image.open(original.path) as old:
        assert ImageChops.difference(new.convert("RGB"), old.convert("RGB")).getbbox()
    assert requests == []  # nothing was asked of the engine

    # Export (Ctrl+E) takes the version the gallery shows.
    parts = studio.library_parts
    dialog = parts.export_dialog
    parts.export_action.trigger()

    async def exported() -> list[Path]:
        results: list[Any] = []
        dialog.exporter.finished.connect(results.append)
        async with asyncio.timeout(WAIT):
            while not (dialog.isVisible() and dialog._fields is not None):
                await asyncio.sleep(0.02)  # the dialog announces its fields by no signal
        dialog.folder.setText(str(tmp_path / "out"))
        dialog.export_button.click()
        await until(lambda: bool(results), dialog.exporter.finished)
        return list(results[0].paths)

    (path,) = run(qloop, exported())
    assert headline_of(path) == "夏日特饮"
    with Image.open(path) as out, Image.open(record.path) as kept:
        assert ImageChops.difference(out.convert("RGB"), kept.convert("RGB")).getbbox() is None


def test_typing_ten_characters_quickly_makes_one_version(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    requests = exact_text_image(studio, qloop)
    first = studio.gallery.tile(0).image_id
    assert first is not None
    editor = text_editor(studio)
    editor.setFocus()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    for character in "新茶上市 限量供应!":  # ten characters, one after another, as an IME commits
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(editor, event)
    assert studio.builder.blocks.block(0).text == HEADLINE + "新茶上市 限量供应!"
    record = wait_for_version(studio, qloop, first)
    tree = studio.library.versions.tree_of(first)
    assert tree is not None and len(tree.versions) == 2  # one version, not ten
    assert headline_of(record.path) == HEADLINE + "新茶上市 限量供应!"
    assert requests == []


def test_board_undo_brings_the_look_back_as_another_version_with_no_request(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    requests = exact_text_image(studio, qloop)
    first = studio.gallery.tile(0).image_id
    assert first is not None
    board = studio.layout_board
    board.set_box(0, (0.1, 0.6, 0.8, 0.2))
    moved = wait_for_version(studio, qloop, first)
    board.undo_stack.undo()  # Ctrl+Z on the board
    back = wait_for_version(studio, qloop, moved.id)
    assert back.parent_image_id == moved.id and moved.parent_image_id == first
    original = studio.library.image(first)
    assert original is not None
    with Image.open(back.path) as again, Image.open(original.path) as old:
        assert ImageChops.difference(again.convert("RGB"), old.convert("RGB")).getbbox() is None
    assert requests == []


def test_an_image_made_without_exact_text_is_left_as_it_is(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    requests = exact_text_image(studio, qloop, exact=False)
    tile = studio.gallery.tile(0)
    assert tile.path is not None and tile.image_id is not None
    retypesetter = studio.retypesetter
    studio.builder.blocks.set_text(0, "夏日特饮")
    assert retypesetter.busy
    run(qloop, until(lambda: not retypesetter.busy, retypesetter.busy_changed, timeout=WAIT))
    assert studio.gallery.tile(0).image_id == tile.image_id
    assert len(studio.library.images()) == 1 and requests == []


def test_opening_another_spec_sets_nothing_again(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    exact_text_image(studio, qloop)
    first = studio.gallery.tile(0).image_id
    other = dataclasses.replace(studio.builder.spec(), texts=(TextBlock("headline", "另一份设计"),))
    studio.builder.load(other)  # Open, or a job opened from the library: not a text change
    assert not studio.retypesetter.busy
    studio.builder.description = "Another description"  # no text changed either
    assert not studio.retypesetter.busy
    assert studio.gallery.tile(0).image_id == first


def retypeset_rows(studio: Studio) -> list[TurnRow]:
    return [row for row in studio.edits.conversation.rows() if row.kind == "retypeset"]


def test_a_text_set_again_says_what_changed_in_the_conversation_and_tree_and_after_a_restart(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    studio = make_studio(home)
    studio.window.show()
    try:
        exact_text_image(studio, qloop)
        first = studio.gallery.tile(0).image_id
        assert first is not None
        studio.builder.blocks.set_text(0, "夏日冰饮")
        record = wait_for_version(studio, qloop, first)
        edits = studio.edits
        shown = lambda: edits.tree is not None and edits.tree.current_id == record.id  # noqa: E731
        run(qloop, until(shown, edits.tree_changed, timeout=WAIT))
        (row,) = retypeset_rows(studio)
        assert row.image_labels == ("v2",) and row.source_label == "v1"
        said = heading(row)
        assert "春日限定 → 夏日冰饮" in said and said.startswith("Text set again")
        assert footer(row) == ("on v1 · no cost", False)
        # A screen reader hears the turn as the dock shows it, not the stored English words.
        conversation = studio.window.edit_panel.conversation
        index = conversation.model().index(len(edits.conversation.rows()) - 1, 0)
        spoken = QAccessible.queryAccessibleInterface(conversation).child(index.row())
        assert spoken is not None
        assert (
            spoken.text(QAccessible.Text.Name)
            == "Text set again — Headline: 春日限定 → 夏日冰饮. on v1 · no cost"
        )
        item = edits.versions.item_of(record.id)
        assert item is not None
        assert item.text() == "● v2  Headline: 春日限定 → 夏日冰饮"
        assert item.toolTip() == "Text set again — Headline: 春日限定 → 夏日冰饮"
    finally:
        studio.window._confirmed_close = True
        run(qloop, shut(studio))

    # A restart: the turn comes back with the tree.
    again = make_studio(home)
    again.window.show()
    try:

        async def reopen() -> None:
            await again.start(load_settings=False)  # reopens the tree it showed
            await until(lambda: again.edits.tree is not None, again.edits.tree_changed)

        run(qloop, reopen())
        (row,) = retypeset_rows(again)
        assert "春日限定 → 夏日冰饮" in heading(row)
        item = again.edits.versions.item_of(record.id)
        assert item is not None and "春日限定 → 夏日冰饮" in item.text()
    finally:
        again.window._confirmed_close = True
        run(qloop, shut(again))
