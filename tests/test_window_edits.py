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
from app.engine.errors import ModerationBlockedError, UnreachableError
from app.engine.service import CompletedImage, ImageEvent, ImageFailed
from app.main import Studio
from app.model.conversation import TurnRow
from app.model.edit_session import spec_of
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
        again.reopen_edits()  # as start() does, once the library is open
        await until(lambda: again.edits.tree is not None, again.edits.tree_changed)

    try:
        run(qloop, reopen())
        back = tree(again)
        assert len(back.versions) == 4 and back.current_id == v2 and back.root_id == v1
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
        from app.store.library import LibraryQuery

        found = await studio.funnel.in_thread(
            studio.library.search, LibraryQuery(text="headline 30% LARGER")
        )
        assert [image.id for image in found] == [v3]  # the library finds a turn by its words

        # Clicking a turn's row selects the version it made in the tree.
        panel.conversation.clicked.emit(studio.edits.conversation.index(1))
        assert panel.versions.selected_ids() == [v3]

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


def test_a_refused_turn_shows_inline_and_loses_nothing(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> None:
    panel = studio.window.edit_panel

    async def scenario() -> None:
        await first_image(studio)
        await turn(studio, qtbot, "add a headline in red", 2)
        service.refuse_next = True
        panel.instruction.setPlainText("make the crowd fight")
        QTest.keyClick(panel.instruction, Qt.Key.Key_Return)
        await until(
            lambda: not studio.edits.busy and len(rows(studio)) == 2
            and rows(studio)[-1].state == "failed",
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip

    run(qloop, scenario())
    refused = rows(studio)[-1]
    assert refused.instruction == "make the crowd fight" and not refused.image_ids
    assert refused.failure is not None and refused.failure[0] == "service.moderation"
    assert len(tree(studio).versions) == 2  # the versions made before are all there
    assert rows(studio)[0].image_ids and rows(studio)[0].failure is None
    assert panel.instruction.toPlainText() == "make the crowd fight"  # back, to be changed
    assert panel.instruction.isEnabled() and panel.send_button.isEnabled()
    from app.ui.turn_delegate import footer

    text, failed = footer(refused)
    assert failed and "safety system" in text


def test_replace_text_sends_the_new_text_exactly_once_and_not_the_old(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> None:
    panel = studio.window.edit_panel

    async def scenario() -> None:
        await first_image(studio)
        panel.replace_button.setChecked(True)
        assert panel.replace_row.isVisible()
        assert panel.replace_block.count() == 2 and panel.replace_text.text() == "AI Engineering"
        panel.replace_text.setText("AI Engineer 训练营")
        panel.replace_send.click()
        await until(
            lambda: len(tree(studio).versions) == 2 and not studio.edits.busy,
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip

    run(qloop, scenario())
    prompt = service.requests[-1].prompt
    assert prompt.count("AI Engineer 训练营") == 1
    required = [block.text for block in parse_prompt(prompt).blocks]
    assert required == ["AI Engineer 训练营", "春日限定"]  # the old text is not asked for
    child = tree(studio).version(tree(studio).current_id)
    assert child is not None and child.image.parent_image_id == tree(studio).root_id
    assert [b.text for b in spec_of(child).texts] == ["AI Engineer 训练营", "春日限定"]
    assert rows(studio)[0].kind == "replace_text"
    assert rows(studio)[0].instruction == "AI Engineering → AI Engineer 训练营"


def test_finalize_shows_the_estimate_first_and_makes_a_larger_child(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> None:
    from app.ui.finalize_dialog import FinalizeDialog

    async def scenario() -> None:
        draft = await first_image(studio)
        studio.window.edit_panel.finalize_button.click()
        dialog = studio.window.edit_panel.finalize_dialog
        assert isinstance(dialog, FinalizeDialog) and dialog.isVisible()
        dialog.tier.setCurrentIndex(dialog.tier.findData("2k"))
        dialog.quality.setCurrentIndex(dialog.quality.findData("high"))
        assert dialog.size_label.text() == "2048x2048"
        assert "$" in dialog.estimate.text()
        dialog.buttons.accepted.emit()
        await until(
            lambda: len(tree(studio).versions) == 2 and not studio.edits.busy,
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip
        assert tree(studio).version(tree(studio).current_id).image.parent_image_id == draft  # type: ignore[union-attr]

    run(qloop, scenario())
    request = service.requests[-1]
    assert (request.kind, request.size, request.quality) == ("edit", "2048x2048", "high")
    assert [b.text for b in parse_prompt(request.prompt).blocks] == ["AI Engineering", "春日限定"]
    final = tree(studio).version(tree(studio).current_id)
    assert final is not None and (final.image.width, final.image.height) == (2048, 2048)
    assert rows(studio)[0].kind == "finalize"


def test_an_imported_mask_is_pasted_back_and_the_change_outside_it_is_shown(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService,
    tmp_path: Path,
) -> None:  # fmt: skip
    mask = Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (100, 200, 400, 500))  # the model may change this rectangle only
    mask_file = tmp_path / "mask.png"
    mask.save(mask_file)

    async def scenario() -> None:
        await first_image(studio)
        studio.edits.use_mask_file(mask_file)
        await until(lambda: studio.edits.mask is not None, studio.edits.mask_changed)
        assert studio.window.edit_panel.clear_mask.isEnabled()
        await turn(studio, qtbot, "a red balloon here", 2)

    run(qloop, scenario())
    request = service.requests[-1]
    assert request.mask is not None
    with Image.open(request.mask) as sent:
        assert sent.size == (SIDE, SIDE) and sent.mode == "RGBA"
    original = tree(studio).version(tree(studio).root_id)
    edited = tree(studio).version(tree(studio).current_id)
    assert original is not None and edited is not None
    before = numpy.asarray(Image.open(original.image.path).convert("RGB"))
    after = numpy.asarray(Image.open(edited.image.path).convert("RGB"))
    outside = numpy.ones((SIDE, SIDE), bool)
    outside[200:500, 100:400] = False
    assert (before[outside] == after[outside]).all()  # every protected pixel is the original's
    assert (after[250:450, 150:350] == (255, 0, 255)).all()  # the model's inside
    assert rows(studio)[0].changed_outside_pct == pytest.approx(100.0, abs=1.0)
    from app.ui.turn_delegate import footer

    assert "outside the mask" in footer(rows(studio)[0])[0]


def test_a_mask_of_another_size_is_refused_with_a_reason(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, tmp_path: Path
) -> None:
    wrong = tmp_path / "small.png"
    Image.new("L", (64, 64), 0).save(wrong)
    refused: list[tuple[str, object]] = []
    studio.edits.refused.connect(lambda code, values: refused.append((code, values)))

    async def scenario() -> None:
        await first_image(studio)
        studio.edits.use_mask_file(wrong)
        await until(lambda: bool(refused), studio.edits.refused)

    run(qloop, scenario())
    assert studio.edits.mask is None
    assert refused[0][0] == "edit.mask_refused"
    panel = studio.window.edit_panel
    assert panel.problem.isVisible() and "64x64" in panel.problem.text()


def test_a_service_without_edits_or_masks_says_so_once_and_switches_them_off(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> None:
    panel = studio.window.edit_panel
    run(qloop, first_image(studio))
    assert panel.send_button.isEnabled() and panel.import_mask.isEnabled()
    assert not panel.notice.isVisible()

    service.profile = service.profile.with_known("masks", False)
    studio.edits.refresh_abilities()
    assert panel.notice.isVisible() and "masks" in panel.notice.text()
    assert not panel.import_mask.isEnabled() and not panel.paste_back.isEnabled()
    assert panel.send_button.isEnabled()

    service.profile = service.profile.with_known("edits", False)
    studio.edits.refresh_abilities()
    assert panel.notice.isVisible() and "cannot edit" in panel.notice.text()
    for widget in (panel.instruction, panel.send_button, panel.finalize_button):
        assert not widget.isEnabled()
    before = len(service.requests)
    assert not studio.edits.send("make it blue")
    assert len(service.requests) == before  # nothing sent, nothing failing on every turn
    notices = panel.findChildren(type(panel.notice), "")
    said = [label for label in notices if label.isVisible() and "cannot edit" in label.text()]
    assert len(said) == 1  # said once, not again on every turn


def test_a_painted_mask_goes_with_the_turn_and_is_pasted_back(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, studio: Studio, service: EditService
) -> None:
    from PySide6.QtCore import QRectF

    panel = studio.window.edit_panel

    async def scenario() -> None:
        await first_image(studio)
        panel.paint_mask.setChecked(True)
        assert panel.painter.isVisible()
        await until(lambda: panel.painter.mask_model is not None, studio.edits.images.image_ready)
        mask = panel.painter.mask_model
        assert mask is not None
        mask.fill_rect(QRectF(600, 100, 300, 200))  # the model may change this area only
        assert "marked area" in panel.mask_label.toolTip() and panel.clear_mask.isEnabled()
        await turn(studio, qtbot, "a kite in the sky", 2)

    run(qloop, scenario())
    request = service.requests[-1]
    assert request.mask is not None
    with Image.open(request.mask) as sent:
        assert sent.size == (SIDE, SIDE)
        alpha = numpy.asarray(sent.getchannel("A"))
    assert (alpha[100:300, 600:900] == 0).all() and alpha[:100].min() == 255
    original = tree(studio).version(tree(studio).root_id)
    edited = tree(studio).version(tree(studio).current_id)
    assert original is not None and edited is not None
    before = numpy.asarray(Image.open(original.image.path).convert("RGB"))
    after = numpy.asarray(Image.open(edited.image.path).convert("RGB"))
    outside = numpy.ones((SIDE, SIDE), bool)
    outside[100:300, 600:900] = False
    assert (before[outside] == after[outside]).all()
    assert rows(studio)[0].changed_outside_pct is not None
    # The new version has a mask of its own, empty: nothing painted goes with the next turn.
    panel_mask = panel.painter.mask_model
    assert panel_mask is None or panel_mask.is_empty


def test_a_service_answering_404_to_edits_is_learned_and_editing_switched_off(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    """Through the real client: the embedded engine acting as a gateway without /images/edits."""
    from app.engine.gateway import service_http_client
    from app.engine.local import Fault, FaultPlan, create_app
    from app.engine.service import OpenAIImageService, ServiceOptions
    from app.engine.transport import LOCAL_BASE_URL, StreamingASGITransport
    from app.store.profiles import ServiceProfiles

    faults = FaultPlan().queue(None, Fault.gateway("no_edits"))
    options = ServiceOptions(api_key="local", base_url=LOCAL_BASE_URL, timeout=60, max_retries=0)
    service = OpenAIImageService(
        options,
        http_client=service_http_client(StreamingASGITransport(create_app(faults=faults))),
        profiles=ServiceProfiles(tmp_path / "profiles.json"),
    )
    studio = make_studio(tmp_path / "home")
    studio.window.show()
    studio.builder.description = "A tea shop poster"
    studio.builder.blocks.add("headline", "春日限定")
    studio.builder.n = 1
    studio.builder.quality = "low"
    panel = studio.window.edit_panel

    async def scenario() -> None:
        await attach(studio, service)
        studio.edits.follow_profile(lambda: service.profile)
        await first_image(studio)
        assert panel.send_button.isEnabled() and not panel.notice.isVisible()
        panel.instruction.setPlainText("make the sky pink")
        QTest.keyClick(panel.instruction, Qt.Key.Key_Return)
        await until(
            lambda: not studio.edits.busy and bool(rows(studio)),
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip
        await studio.funnel.on_engine(service.close())

    try:
        run(qloop, scenario())
        assert rows(studio)[0].state == "failed" and rows(studio)[0].failure is not None
        assert panel.notice.isVisible() and "cannot edit" in panel.notice.text()
        assert not panel.send_button.isEnabled() and not panel.instruction.isEnabled()
        assert panel.instruction.toPlainText() == "make the sky pink"  # kept
        assert faults.requests == 2  # the edit was tried once, not on every turn after
        assert ServiceProfiles(tmp_path / "profiles.json").get(LOCAL_BASE_URL).lacks("edits")
    finally:
        close_studio(qloop, studio)


class HoldingService(EditService):
    """An edit sends its first version, then holds the others until it is cancelled."""

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        if request.kind != "edit":
            async for event in super()._events(request):
                yield event
            return
        self.requests.append(request)
        yield CompletedImage(0, solid(SIDE, SIDE, "#ff00ff"), SIDE, SIDE, "png", USAGE)
        await asyncio.Event().wait()  # never set: only a cancel ends it


def reopened(loop: asyncio.AbstractEventLoop, home: Path, service: EditService) -> Studio:
    """The studio started again on ``home``, its edit panel showing the tree it showed."""
    again = make_studio(home)
    again.window.show()

    async def reopen() -> None:
        await attach(again, service)
        again.reopen_edits()  # as start() does, once the library is open
        await until(lambda: again.edits.tree is not None, again.edits.tree_changed)

    run(loop, reopen())
    return again


async def send_two_and_get_one(studio: Studio, instruction: str) -> None:
    """Send a turn of two versions (Enter) and wait until the first has arrived; with a
    ``HoldingService`` the turn then runs until it is cancelled."""
    panel = studio.window.edit_panel
    panel.variations.setValue(2)
    panel.instruction.setPlainText(instruction)
    QTest.keyClick(panel.instruction, Qt.Key.Key_Return)
    await until(
        lambda: any(e.received == 1 and e.active for e in studio.queue.entries()),
        studio.queue.dataChanged,
    )


def test_a_turn_cancelled_midway_keeps_its_instruction_and_versions_after_a_restart(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    from app.ui.turn_delegate import footer

    service = HoldingService()
    studio = open_studio(qloop, tmp_path, service)

    async def scenario() -> None:
        await first_image(studio)
        await send_two_and_get_one(studio, "add a red kite in the sky")
        studio.window.cancel_action.trigger()  # Esc, with one of the two versions in
        await until(
            lambda: not studio.edits.busy and not studio.queue.entries()[0].active,
            studio.edits.busy_changed, studio.queue.dataChanged,
        )  # fmt: skip

    try:
        run(qloop, scenario())
        assert [row.state for row in rows(studio)] == ["cancelled"]
        cancelled = rows(studio)[-1]
        assert cancelled.instruction == "add a red kite in the sky"
        assert len(cancelled.image_ids) == 1 and cancelled.failure is None
        assert "cancelled, 1 version(s) kept" in footer(cancelled)[0]
        kept = cancelled.image_ids[0]
        assert tree(studio).current_id == kept  # what arrived is the version to go on from
    finally:
        close_studio(qloop, studio)

    again = reopened(qloop, tmp_path, service)
    try:
        back = tree(again)
        assert [v.image.id for v in back.versions][-1] == kept
        assert back.version(kept).image.parent_image_id == back.root_id  # type: ignore[union-attr]
        (row,) = rows(again)
        assert (row.instruction, row.state, row.image_ids) == (
            "add a red kite in the sky", "cancelled", (kept,),
        )  # fmt: skip
        assert row.actual_usd is not None and row.actual_usd > 0  # the version that came is paid
        assert "spent so far" in footer(row)[0]
    finally:
        close_studio(qloop, again)


class UnreachableOnceService(EditService):
    """The next edit cannot reach the service; the one after works."""

    def __init__(self) -> None:
        super().__init__()
        self.unreachable_next = False

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        if request.kind == "edit" and self.unreachable_next:
            self.unreachable_next = False
            self.requests.append(request)
            yield ImageFailed(UnreachableError("Cannot reach the image service."))
            return
        async for event in super()._events(request):
            yield event


def test_a_failed_turn_retried_from_the_banner_gets_its_versions_after_a_restart(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    service = UnreachableOnceService()
    studio = open_studio(qloop, tmp_path, service)
    panel = studio.window.edit_panel
    banner = studio.window.banner

    async def scenario() -> None:
        await first_image(studio)
        service.unreachable_next = True
        panel.instruction.setPlainText("make the sky pink")
        QTest.keyClick(panel.instruction, Qt.Key.Key_Return)
        await until(
            lambda: not studio.edits.busy and bool(rows(studio))
            and rows(studio)[-1].state == "failed",
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip
        assert not banner.isHidden() and banner.action.text() == "Retry"
        banner.action.click()
        await until(
            lambda: not studio.edits.busy and len(service.requests) == 3
            and not studio.queue.entries()[0].active,
            studio.edits.busy_changed, studio.queue.dataChanged,
        )  # fmt: skip
        studio.edits.reload()  # what the library now says
        await until(
            lambda: len(tree(studio).versions) == 2 and not studio.edits.busy,
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip

    try:
        run(qloop, scenario())
        assert len(service.requests) == 3  # the image, the failed turn, its retry
        (row,) = rows(studio)  # the same turn, now with its version: no second one
        made = tree(studio).current_id
        assert (row.instruction, row.image_ids, row.failure) == ("make the sky pink", (made,), None)
    finally:
        close_studio(qloop, studio)

    again = reopened(qloop, tmp_path, service)
    try:
        (row,) = rows(again)
        assert (row.instruction, row.state, row.image_ids) == ("make the sky pink", "done", (made,))
        assert tree(again).version(made).image.parent_image_id == tree(again).root_id  # type: ignore[union-attr]
        assert row.actual_usd is not None and row.actual_usd > 0
    finally:
        close_studio(qloop, again)


def test_replace_text_on_a_local_draft_clears_the_old_text_before_setting_the_new(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    """The embedded engine, without a mask: the old text's place is cleared, so the new version
    reads back (real OCR) as the new text alone, not the two drawn over each other."""
    from app.core.fidelity import RequiredText
    from app.ocr import OcrWorker
    from tests.ocr_fakes import offline_reader

    studio = make_studio(tmp_path / "home")
    studio.window.show()
    studio.builder.description = "A spring tea party poster"
    studio.builder.blocks.add("headline", "春日茶会")
    studio.builder.n = 1
    studio.builder.quality = "low"
    panel = studio.window.edit_panel
    reader = OcrWorker(make_reader=offline_reader)

    async def scenario() -> None:
        await studio.start(load_settings=False)
        assert studio.generator.engine is not None and studio.generator.engine.local
        await first_image(studio)
        panel.replace_button.setChecked(True)
        panel.replace_text.setText("夏日冰饮")
        panel.replace_send.click()
        await until(
            lambda: len(tree(studio).versions) == 2 and not studio.edits.busy,
            studio.edits.tree_changed, studio.edits.busy_changed,
        )  # fmt: skip

    try:
        run(qloop, scenario())
        child = tree(studio).version(tree(studio).current_id)
        assert child is not None and child.image.path is not None
        image = child.image.path.read_bytes()
        required = [RequiredText("夏日冰饮", "headline")]
        check = run(qloop, reader.check_async(image, required))
        assert check.exact, check
    finally:
        reader.close()
        close_studio(qloop, studio)


def test_a_typed_replace_on_a_local_draft_reads_back_as_the_new_text_alone(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    """A designer types the replacement in their own words: the new version requires the new
    text (its spec has it), the old one's place is cleared, and the real OCR reads the new text
    exactly, the old one gone and the other text as it was."""
    from app.core.fidelity import RequiredText
    from app.ocr import OcrWorker
    from tests.ocr_fakes import offline_reader

    studio = make_studio(tmp_path / "home")
    studio.window.show()
    studio.builder.description = "A spring tea party poster"
    studio.builder.blocks.add("headline", "春日限定")
    studio.builder.blocks.add("subhead", "新品上市")
    studio.builder.n = 1
    studio.builder.quality = "low"
    reader = OcrWorker(make_reader=offline_reader)

    async def scenario() -> None:
        await studio.start(load_settings=False)
        assert studio.generator.engine is not None and studio.generator.engine.local
        await first_image(studio)
        await turn(studio, qtbot, "把“春日限定”改成“夏日冰饮”", 2)

    try:
        run(qloop, scenario())
        child = tree(studio).version(tree(studio).current_id)
        assert child is not None and child.image.path is not None
        assert [block.text for block in spec_of(child).texts] == ["夏日冰饮", "新品上市"]
        assert rows(studio)[-1].instruction == "把“春日限定”改成“夏日冰饮”"
        required = [RequiredText("夏日冰饮", "headline"), RequiredText("新品上市", "subhead")]
        check = run(qloop, reader.check_async(child.image.path.read_bytes(), required))
        assert check.exact, check
        assert "春日" not in check.read_text and "限定" not in check.read_text, check.read_text
    finally:
        reader.close()
        close_studio(qloop, studio)


def test_a_turn_is_kept_while_it_runs_so_a_killed_studio_still_has_its_instruction(
    qloop: asyncio.AbstractEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    """The library has the turn once it has the turn's job, before any version arrives."""
    service = HoldingService()
    studio = open_studio(qloop, tmp_path, service)

    def kept(source: int) -> list[tuple[str, str]]:
        found = studio.library.versions.tree_of(source)
        return [] if found is None else [(t.instruction, t.status) for t in found.turns]

    async def scenario() -> list[tuple[str, str]]:
        source = await first_image(studio)
        await send_two_and_get_one(studio, "add a red kite in the sky")
        # Still running (the service holds the second version): what a kill now would leave.
        found = await studio.funnel.in_thread(kept, source)
        assert studio.edits.busy and [r.state for r in rows(studio)] == ["pending"]
        studio.window.cancel_action.trigger()
        await until(lambda: not studio.edits.busy, studio.edits.busy_changed)
        return found

    try:
        assert run(qloop, scenario()) == [("add a red kite in the sky", "running")]
    finally:
        close_studio(qloop, studio)
