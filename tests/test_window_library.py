"""The Library dock: search (Chinese from one character), favourites, the exact-text filter,
thumbnails, delete to the trash with undo, restore and empty, open a job, re-run one; and files
dropped on the window (a studio image or spec restores the builder, another image is offered)."""

from __future__ import annotations

import asyncio
import io
import json
import sqlite3
from collections.abc import AsyncGenerator, Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPainter
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleOptionViewItem

from app.core.fidelity import ReadLine, RequiredText, TextCheck, check_texts
from app.core.request import ImageRequest
from app.engine.errors import UnreachableError
from app.engine.service import CompletedImage, ImageEvent, ImageFailed
from app.main import Studio
from app.model.library_model import ROW_ROLE, THUMB, LibraryRow
from app.ui.library_panel import CELL
from tests.gui_support import USAGE, attach, make_studio, png, run, shut, until

pytestmark = pytest.mark.gui


class FlakyService:
    """Completes every image at once, except that while ``drop_after`` is set a request stops
    with a dropped connection after that many images."""

    def __init__(self) -> None:
        self.requests: list[ImageRequest] = []
        self.drop_after: int | None = None

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    edit = generate

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        for index in range(request.n):
            if self.drop_after is not None and index >= self.drop_after:
                yield ImageFailed(UnreachableError("The connection dropped."))
                return
            yield CompletedImage(index, png(512, 512, "#%02x8888" % (index * 40)), 1024, 1024,
                                 "png", USAGE)  # fmt: skip


@pytest.fixture
def service() -> FlakyService:
    return FlakyService()


@pytest.fixture
def studio(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path, service: FlakyService
) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    engine = run(qloop, attach(made, service))
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))
    engine.stop()


def make_job(studio: Studio, qloop: asyncio.AbstractEventLoop, headline: str, n: int = 1) -> None:
    before = len(studio.queue.entries())
    studio.builder.description = f"A poster for {headline}"
    studio.builder.blocks.set_blocks(())
    studio.builder.blocks.add("headline", headline)
    studio.builder.n = n
    studio.window.generate()
    run(
        qloop,
        until(
            lambda: len(studio.queue.entries()) > before and not studio.queue.entries()[0].active,
            studio.queue.dataChanged,
        ),
    )


def search(studio: Studio, qloop: asyncio.AbstractEventLoop, text: str | None = None) -> list[str]:
    """The titles the library shows for ``text`` (None: the current search again)."""
    model = studio.library_view
    done: list[int] = []
    model.searched.connect(lambda count, _: done.append(count))
    model.search(text)
    run(qloop, until(lambda: bool(done), model.searched))
    return titles(studio, qloop)


def titles(studio: Studio, qloop: asyncio.AbstractEventLoop) -> list[str]:
    model = studio.library_view
    for row in range(model.rowCount()):
        model.index(row).data()  # asks for the page
    run(qloop, poll(lambda: all(model.row_at(r) is not None for r in range(model.rowCount()))))
    found = [model.row_at(r) for r in range(model.rowCount())]
    return [row.title for row in found if row is not None]


async def pump() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


async def poll(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def test_search_for_one_character_finds_both_teas_and_two_only_one(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶")
    make_job(studio, qloop, "珍珠奶茶")
    make_job(studio, qloop, "中秋月饼")
    assert studio.library_parts.library_panel.list.accessibleName() == "Library"
    assert search(studio, qloop, "") == ["中秋月饼", "珍珠奶茶", "有机绿茶"]  # newest first
    assert search(studio, qloop, "茶") == ["珍珠奶茶", "有机绿茶"]
    assert search(studio, qloop, "绿茶") == ["有机绿茶"]
    assert search(studio, qloop, "poster for 中秋") == ["中秋月饼"]  # the description too
    panel = studio.library_parts.library_panel
    assert panel.count.text() == "1 images"
    # typed into the search field, it searches a moment later
    studio.library_parts.search_action.trigger()  # Ctrl+F
    assert panel.search.hasFocus()
    done: list[int] = []
    studio.library_view.searched.connect(lambda count, _: done.append(count))
    panel.search.setText("奶")
    run(qloop, until(lambda: bool(done), studio.library_view.searched))
    assert titles(studio, qloop) == ["珍珠奶茶"]


def test_thumbnails_arrive_from_the_disk_cache(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶", n=2)
    search(studio, qloop, "")
    model = studio.library_view
    run(
        qloop,
        until(
            lambda: all(
                isinstance(model.index(r).data(Qt.ItemDataRole.DecorationRole), QImage)
                for r in range(2)
            ),
            model.dataChanged,
        ),
    )
    image = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert max(image.width(), image.height()) <= 96
    assert any(studio.paths.thumbnails_dir.rglob("*.webp"))


def thumbnail(studio: Studio, qloop: asyncio.AbstractEventLoop, row: int) -> QImage:
    model = studio.library_view
    index = model.index(row)
    run(
        qloop,
        until(
            lambda: isinstance(index.data(Qt.ItemDataRole.DecorationRole), QImage),
            model.dataChanged,
        ),
    )
    image = index.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(image, QImage)
    return image


def test_thumbnails_are_made_at_the_screens_pixel_ratio_and_drawn_sharp(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶")
    search(studio, qloop, "")
    model = studio.library_view
    model.set_pixel_ratio(2.0)  # what the view says on a scale-2 screen
    image = thumbnail(studio, qloop, 0)
    assert (image.width(), image.height(), image.devicePixelRatio()) == (192, 192, 2.0)
    assert image.deviceIndependentSize().toSize() == THUMB

    # Drawn by the list's delegate on a scale-2 surface: one pixel of it per device pixel.
    view = studio.library_parts.library_panel.list
    delegate = view.itemDelegate()
    surface = QImage(CELL * 2, QImage.Format.Format_RGB32)
    surface.setDevicePixelRatio(2.0)
    surface.fill(Qt.GlobalColor.white)
    option = QStyleOptionViewItem()
    option.rect = QRect(QPoint(0, 0), CELL)
    option.palette = view.palette()
    painter = QPainter(surface)
    delegate.paint(painter, option, model.index(0))
    painter.end()
    left = (CELL.width() - THUMB.width()) // 2 * 2
    drawn = surface.copy(left, 4 * 2, 192, 192)
    drawn.setDevicePixelRatio(1.0)
    expected = image.convertToFormat(QImage.Format.Format_RGB32)
    expected.setDevicePixelRatio(1.0)
    assert drawn == expected

    model.set_pixel_ratio(1.0)  # back on a plain screen: its own size, cached apart
    plain = thumbnail(studio, qloop, 0)
    assert (plain.width(), plain.devicePixelRatio()) == (96, 1.0)
    model.set_pixel_ratio(3.0)  # beyond the 256 px disk thumbnail: a larger one is made
    assert thumbnail(studio, qloop, 0).width() == 288
    names = sorted(
        path.name.rsplit("-", 1)[1] for path in studio.paths.thumbnails_dir.rglob("*.webp")
    )
    assert names == ["256.webp", "512.webp"]


def test_favourites_and_exact_text_filters(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶")
    make_job(studio, qloop, "珍珠奶茶")
    search(studio, qloop, "")
    panel = studio.library_parts.library_panel
    panel.list.setCurrentIndex(studio.library_view.index(1))  # 有机绿茶
    panel.list.setFocus()
    panel.toggle_favourite()
    row = studio.library_view.row_at(1)
    assert row is not None and row.favourite
    run(qloop, poll(lambda: studio.library.image(row.image_id).favourite))

    panel.favourites.setChecked(True)
    run(qloop, poll(lambda: studio.library_view.rowCount() == 1))
    assert titles(studio, qloop) == ["有机绿茶"]
    panel.favourites.setChecked(False)

    run(qloop, poll(lambda: studio.library_view.rowCount() == 2))
    milk, green = studio.library_view.ids()
    studio.library.record_text_check(milk, read_back("珍珠奶茶", "珍珠奶茶"))
    studio.library.record_text_check(green, read_back("有机绿茶", "有机録茶"))
    panel.exact.setChecked(True)
    run(qloop, poll(lambda: studio.library_view.rowCount() == 1))
    assert titles(studio, qloop) == ["珍珠奶茶"]
    panel.exact.setChecked(False)
    run(qloop, poll(lambda: studio.library_view.rowCount() == 2))

    panel.engine.setCurrentIndex(panel.engine.findData("local"))  # these came from a service
    run(qloop, poll(lambda: studio.library_view.rowCount() == 0))
    panel.engine.setCurrentIndex(panel.engine.findData("remote"))
    run(qloop, poll(lambda: studio.library_view.rowCount() == 2))
    with sqlite3.connect(studio.paths.library_db) as connection:  # made last year
        connection.execute(
            "UPDATE images SET created_at = '2025-01-02T00:00:00+00:00' WHERE id = ?", (green,)
        )
    panel.when.setCurrentIndex(panel.when.findData(7))
    run(qloop, poll(lambda: studio.library_view.ids() == (milk,)))
    panel.when.setCurrentIndex(panel.when.findData(None))
    run(qloop, poll(lambda: studio.library_view.ids() == (milk, green)))


def read_back(wanted: str, read: str) -> TextCheck:
    """The text check of an image whose text ``wanted`` was read back as ``read``."""
    return check_texts([RequiredText(wanted)], [ReadLine(read, (0, 0, 9, 9), 1.0)])


def test_delete_to_the_trash_undo_restore_and_empty(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶", n=2)
    studio.library_parts.search_library()  # the dock shown (Ctrl+F)
    search(studio, qloop, "")
    model = studio.library_view
    panel = studio.library_parts.library_panel
    first, second = model.ids()
    panel.list.setCurrentIndex(model.index(0))
    panel.list.setFocus()
    panel.delete_current()
    assert model.ids() == (second,)
    run(qloop, poll(lambda: [i.id for i in studio.library.trash().images] == [first]))
    panel.undo_action.trigger()  # Ctrl+Z
    assert model.ids() == (first, second)
    run(qloop, poll(lambda: not studio.library.trash().images))

    panel.list.setCurrentIndex(model.index(1))
    panel.delete_current()
    run(qloop, poll(lambda: len(studio.library.trash().images) == 1))
    panel.trash.setChecked(True)  # the trash: restore from it, or empty it
    run(qloop, poll(lambda: model.trash_mode and model.ids() == (second,)))
    titles(studio, qloop)
    # Shown through their tool-bar actions (a narrow dock folds them into the overflow menu).
    shown = {button: action.isVisible() for button, action in panel._in_bar.items()}
    assert shown[panel.restore_button] and not shown[panel.delete_button]
    panel.list.setCurrentIndex(model.index(0))
    panel.restore_current()
    run(qloop, poll(lambda: not studio.library.trash().images))
    panel.trash.setChecked(False)
    run(
        qloop,
        poll(lambda: model.ids() == (first, second)),
    )
    titles(studio, qloop)  # the rows are read (as drawing them does) before one is chosen
    panel.list.setCurrentIndex(model.index(0))
    panel.delete_current()
    run(qloop, poll(lambda: len(studio.library.trash().images) == 1))
    doomed = studio.library.trash().images[0].path
    panel.trash.setChecked(True)
    run(qloop, poll(lambda: model.ids() == (first,)))
    panel.empty_button.click()
    run(qloop, poll(lambda: model.rowCount() == 0))
    assert not doomed.exists()
    assert studio.library.image(first) is None


def test_a_discarded_gallery_image_goes_to_the_trash_and_comes_back_with_undo(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶", n=2)
    page = studio.window.gallery_page
    page.select_row(0)
    image_id = studio.gallery.tile(0).image_id
    assert image_id is not None
    page.discard()
    run(qloop, poll(lambda: [i.id for i in studio.library.trash().images] == [image_id]))
    page.actions_by_name["undo"].trigger()
    run(qloop, poll(lambda: not studio.library.trash().images))


def test_opening_a_job_brings_its_spec_and_images_back(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    make_job(studio, qloop, "有机绿茶", n=2)
    make_job(studio, qloop, "珍珠奶茶")
    search(studio, qloop, "绿茶")
    studio.builder.blocks.set_blocks(())
    studio.builder.description = ""
    before = studio.gallery.rowCount()
    panel = studio.library_parts.library_panel
    panel.list.setCurrentIndex(studio.library_view.index(0))
    parts = studio.library_parts
    assert studio.document.dirty  # the spec being edited is not saved: it asks first
    panel.open_current()
    run(qloop, poll(lambda: getattr(parts, "replace_box", None) is not None))
    box = parts.replace_box
    run(qloop, poll(box.isVisible))
    box.button(QMessageBox.StandardButton.Cancel).click()
    run(qloop, pump())
    assert studio.builder.spec().texts == () and studio.gallery.rowCount() == before
    panel.open_current()
    run(qloop, poll(lambda: parts.replace_box is not box and parts.replace_box.isVisible()))
    parts.replace_box.button(QMessageBox.StandardButton.Discard).click()
    run(qloop, poll(lambda: studio.gallery.rowCount() == before + 2))
    assert [b.text for b in studio.builder.spec().texts] == ["有机绿茶"]
    assert studio.builder.description == "A poster for 有机绿茶"
    tiles = studio.gallery.tiles()[:2]
    assert all(t.state == "done" and t.path is not None for t in tiles)
    row: LibraryRow = studio.library_view.index(0).data(ROW_ROLE)
    assert {t.image_id for t in tiles} == set(studio.library_view.ids()) | {row.image_id}


def test_re_running_a_failed_job_asks_only_for_its_missing_images(
    studio: Studio, qloop: asyncio.AbstractEventLoop, service: FlakyService
) -> None:
    service.drop_after = 1
    make_job(studio, qloop, "有机绿茶", n=3)
    assert [t.state for t in studio.gallery.tiles()] == ["done", "failed", "failed"]
    service.drop_after = None
    search(studio, qloop, "")
    panel = studio.library_parts.library_panel
    run(qloop, poll(lambda: bool(studio.library_view.unfinished)))
    (job_id, title, status, missing), *_ = studio.library_view.unfinished
    assert (title, status, missing) == ("有机绿茶", "failed", 2)
    assert panel.rerun_button.isEnabled()
    actions = panel.rerun_menu.actions()
    assert len(actions) == 1 and "有机绿茶" in actions[0].text()
    actions[0].trigger()
    run(qloop, poll(lambda: studio.library.job(job_id).status == "done"))
    assert service.requests[-1].n == 2  # only the missing ones
    assert [image.index_in_job for image in studio.library.images(job_id)] == [0, 1, 2]
    run(qloop, poll(lambda: [t.state for t in studio.gallery.tiles()[:2]] == ["done", "done"]))
    run(qloop, poll(lambda: studio.library_view.rowCount() == 3))
    run(qloop, poll(lambda: not studio.library_view.unfinished))


def drop_on_window(studio: Studio, mime: QMimeData) -> None:
    window = studio.window
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(600, 400), actions, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(600, 400), actions, mime, buttons, keys))


def test_a_studio_image_dropped_on_the_window_restores_the_exact_texts(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio.builder.blocks.set_blocks(())
    studio.builder.blocks.add("headline", "春日限定\n“新茶”上市")
    studio.builder.blocks.add("price", "¥128")
    make_job(studio, qloop, "placeholder")  # overwritten below by a job of the texts above
    studio.builder.blocks.set_blocks(())
    studio.builder.blocks.add("headline", "春日限定\n“新茶”上市")
    studio.builder.blocks.add("price", "¥128")
    studio.builder.n = 1
    studio.window.generate()
    run(qloop, poll(lambda: not studio.queue.entries()[0].active))
    stored = studio.gallery.tile(0).path
    assert stored is not None
    copy = tmp_path / "handed-over.png"
    copy.write_bytes(stored.read_bytes())
    studio.builder.blocks.set_blocks(())
    studio.builder.description = "something else"
    studio.document.dirty = False
    before = studio.gallery.rowCount()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(copy))])
    drop_on_window(studio, mime)
    run(qloop, poll(lambda: studio.gallery.rowCount() == before + 1))
    assert [(b.role, b.text) for b in studio.builder.spec().texts] == [
        ("headline", "春日限定\n“新茶”上市"),
        ("price", "¥128"),
    ]
    assert studio.gallery.tile(0).path == copy
    assert studio.gallery.tile(0).image_id == studio.gallery.tile(1).image_id  # the same bytes
    run(qloop, poll(lambda: studio.window.gallery_page.viewer.has_image))


def test_a_spec_file_dropped_opens_and_a_plain_image_is_offered_as_a_reference(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    spec = tmp_path / "mooncake.json"
    spec.write_text(
        json.dumps({"version": 1, "description": "Mooncakes", "texts": [{"text": "花好月圆"}]}),
        "utf-8",
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(spec))])
    drop_on_window(studio, mime)
    run(qloop, poll(lambda: studio.document.path == spec))
    assert [b.text for b in studio.builder.spec().texts] == ["花好月圆"]

    plain = tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "orange").save(buffer, "PNG")
    plain.write_bytes(buffer.getvalue())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(plain))])
    drop_on_window(studio, mime)
    parts = studio.library_parts
    run(qloop, poll(lambda: getattr(parts, "offer_box", None) is not None))
    box = parts.offer_box
    run(qloop, poll(box.isVisible))
    assert "photo.png" in box.informativeText()
    assert [b.text for b in studio.builder.spec().texts] == ["花好月圆"]  # nothing restored
    add = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    add.click()
    run(qloop, poll(lambda: studio.references.rowCount() == 1))
    assert studio.references.references()[0].name == "photo.png"
