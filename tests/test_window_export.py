"""The export dialog (Ctrl+E) and tiles dragged out of the gallery."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncGenerator, Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from app.core.metadata import read_metadata
from app.core.request import ImageRequest
from app.engine.service import CompletedImage, ImageEvent
from app.main import Studio
from app.model.exporting import ExportResult
from app.ui.export_dialog import ExportDialog
from tests.gui_support import USAGE, attach, make_studio, run, shut, until
from tests.test_export import fill_disk

pytestmark = pytest.mark.gui


def transparent_png() -> bytes:
    """A 1024x1024 image: an opaque green square on a fully transparent ground."""
    image = Image.new("RGBA", (1024, 1024), (0, 0, 0, 0))
    image.paste((20, 160, 60, 255), (256, 256, 768, 768))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class TransparentService:
    """Answers every request at once with transparent PNGs."""

    def __init__(self) -> None:
        self.requests: list[ImageRequest] = []

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    edit = generate

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        for index in range(request.n):
            yield CompletedImage(index, transparent_png(), 1024, 1024, "png", USAGE)


@pytest.fixture
def studio(qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Studio]:
    made = make_studio(tmp_path / "home")
    made.window.show()
    engine = run(qloop, attach(made, TransparentService()))
    made.builder.description = "A tea shop poster on a transparent ground"
    made.builder.blocks.add("headline", "春日/限定:茶")
    made.builder.n = 2
    made.builder.background = "transparent"
    made.window.generate()
    run(qloop, until(lambda: states(made) == ["done", "done"], made.gallery.dataChanged))
    made.window.gallery_page.select_row(0)
    yield made
    made.window._confirmed_close = True
    run(qloop, shut(made))
    engine.stop()


def states(studio: Studio) -> list[str]:
    return [tile.state for tile in studio.gallery.tiles()]


def open_dialog(studio: Studio, qloop: asyncio.AbstractEventLoop) -> ExportDialog:
    dialog = studio.library_parts.export_dialog
    studio.library_parts.export_action.trigger()  # Ctrl+E
    run(qloop, poll(lambda: dialog.isVisible() and dialog._fields is not None))
    return dialog


def export(studio: Studio, qloop: asyncio.AbstractEventLoop, dialog: ExportDialog) -> ExportResult:
    results: list[ExportResult] = []
    dialog.exporter.finished.connect(results.append)
    dialog.export_button.click()
    run(qloop, until(lambda: bool(results), dialog.exporter.finished))
    return results[0]


async def pump() -> None:
    for _ in range(20):
        await asyncio.sleep(0.01)


async def poll(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait until ``condition()`` holds (for what no signal announces, such as a dialog)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def test_png_export_keeps_alpha_and_the_spec_and_can_leave_the_spec_out(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(out))
    dialog.template.setText("{headline}-{index}")
    assert dialog.format.currentData() == "png" and dialog.embed.isChecked()
    result = export(studio, qloop, dialog)
    assert result.error is None and len(result.paths) == 1
    with Image.open(result.paths[0]) as exported:
        assert exported.mode == "RGBA"
        assert exported.getpixel((10, 10))[3] == 0  # type: ignore[index]
        assert exported.getpixel((512, 512))[3] == 255  # type: ignore[index]
    payload = read_metadata(result.paths[0].read_bytes())
    assert payload is not None
    assert payload["spec"]["texts"][0]["text"] == "春日/限定:茶"

    dialog.embed.setChecked(False)
    dialog.template.setText("plain-{index}")
    result = export(studio, qloop, dialog)
    assert read_metadata(result.paths[0].read_bytes()) is None


def test_jpeg_flattens_on_the_chosen_colour_and_webp_keeps_the_spec(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(tmp_path / "jpeg"))
    dialog.format.setCurrentIndex(dialog.format.findData("jpeg"))
    assert dialog.background.isVisibleTo(dialog) and not dialog.lossless.isVisibleTo(dialog)
    dialog._background = QColor("#ff0000")
    dialog.quality.setValue(95)
    result = export(studio, qloop, dialog)
    assert result.paths[0].suffix == ".jpg"
    with Image.open(result.paths[0]) as exported:
        assert exported.mode == "RGB"
        red, green, blue = exported.getpixel((10, 10))  # type: ignore[misc]
        assert red > 240 and green < 20 and blue < 20
    payload = read_metadata(result.paths[0].read_bytes())
    assert payload is not None and payload["spec"]["texts"][0]["text"] == "春日/限定:茶"

    dialog.format.setCurrentIndex(dialog.format.findData("webp"))
    dialog.lossless.setChecked(True)
    assert not dialog.quality.isEnabled()
    result = export(studio, qloop, dialog)
    with Image.open(result.paths[0]) as exported:
        assert exported.format == "WEBP"
        assert exported.getpixel((10, 10))[3] == 0  # type: ignore[index]


def test_a_template_with_slashes_colons_and_chinese_gives_a_safe_name(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    out = tmp_path / "safe"
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(out))
    dialog.template.setText("{headline}:{ratio}/v{index}")
    assert "春日_限定_茶_1x1_v1.png" in dialog.name_preview.text()
    result = export(studio, qloop, dialog)
    assert [p.name for p in result.paths] == ["春日_限定_茶_1x1_v1.png"]
    assert result.paths[0].parent == out  # no sub-folder made by the "/"
    dialog.template.setText("{nonsense}")
    assert not dialog.export_button.isEnabled()
    assert "unknown field" in dialog.name_preview.text()


def test_all_of_a_job_with_progress_never_overwriting_and_the_folder_remembered(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    out = tmp_path / "job"
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(out))
    dialog.template.setText("poster-{index}")
    assert dialog.whole_job.isEnabled()
    dialog.whole_job.setChecked(True)
    steps: list[tuple[int, int]] = []
    dialog.exporter.progress.connect(lambda done, total: steps.append((done, total)))
    result = export(studio, qloop, dialog)
    assert sorted(p.name for p in result.paths) == ["poster-1.png", "poster-2.png"]
    assert steps[-1] == (2, 2) and dialog.progress.value() == 2
    before = (out / "poster-1.png").read_bytes()
    (out / "poster-1.png").write_bytes(b"the designer's own file")

    dialog.export_button.click()  # the same names again: it asks
    box = next_question(dialog, qloop, None)
    assert "poster-1.png" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    run(qloop, pump())
    assert sorted(p.name for p in out.iterdir()) == ["poster-1.png", "poster-2.png"]

    results: list[ExportResult] = []
    dialog.exporter.finished.connect(results.append)
    dialog.export_button.click()
    box = next_question(dialog, qloop, box)
    check = box.checkBox()
    assert check is not None and check.accessibleName() == "Apply to all"
    check.setChecked(True)  # one answer for both names
    button(box, "Keep both").click()
    run(qloop, until(lambda: bool(results), dialog.exporter.finished))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["poster-1-2.png", "poster-1.png", "poster-2-2.png", "poster-2.png"]
    assert (out / "poster-1.png").read_bytes() == b"the designer's own file"
    assert (out / "poster-1-2.png").read_bytes()[:8] == before[:8]

    again = ExportDialog(dialog.exporter, studio.funnel, studio.window_state)
    assert again.folder.text() == str(out)
    assert again.template.text() == "poster-{index}"
    again.deleteLater()


def next_question(
    dialog: ExportDialog, qloop: asyncio.AbstractEventLoop, asked: QMessageBox | None
) -> QMessageBox:
    """The clash question shown after ``asked``, once it is on screen."""
    run(qloop, poll(lambda: dialog.clash_box is not asked))
    box = dialog.clash_box
    assert box is not None
    run(qloop, poll(box.isVisible))
    return box


def button(box: QMessageBox, name: str) -> QAbstractButton:
    return next(b for b in box.buttons() if b.accessibleName() == name)


def ask_and_answer(
    dialog: ExportDialog, qloop: asyncio.AbstractEventLoop, answers: list[str]
) -> ExportResult:
    """Export, answering each clash question in turn with the button named in ``answers``."""
    results: list[ExportResult] = []
    dialog.exporter.finished.connect(results.append)
    dialog.export_button.click()
    asked = dialog.clash_box
    for answer in answers:
        asked = next_question(dialog, qloop, asked)
        button(asked, answer).click()
    run(qloop, until(lambda: bool(results), dialog.exporter.finished))
    return results[0]


def test_replace_one_name_and_keep_both_for_the_other(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    out = tmp_path / "replace"
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(out))
    dialog.template.setText("poster-{index}")
    dialog.whole_job.setChecked(True)
    first = export(studio, qloop, dialog)
    new = {p.name: p.read_bytes() for p in first.paths}
    for path in first.paths:
        path.write_bytes(b"the designer's own file")

    result = ask_and_answer(dialog, qloop, ["Replace", "Keep both"])
    assert sorted(p.name for p in result.paths) == ["poster-1.png", "poster-2-2.png"]
    assert (out / "poster-1.png").read_bytes() == new["poster-1.png"]  # the new image
    assert (out / "poster-2.png").read_bytes() == b"the designer's own file"
    assert (out / "poster-2-2.png").read_bytes() == new["poster-2.png"]
    assert sorted(p.name for p in out.iterdir()) == [
        "poster-1.png",
        "poster-2-2.png",
        "poster-2.png",
    ]

    result = ask_and_answer(dialog, qloop, ["Skip", "Replace"])
    assert [p.name for p in result.paths] == ["poster-2.png"] and result.skipped == 1
    assert "1 skipped" in dialog.outcome.text()
    assert (out / "poster-2.png").read_bytes() == new["poster-2.png"]


def test_a_replacement_on_a_full_disk_keeps_the_old_file_and_says_so(
    studio: Studio,
    qloop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "full"
    out.mkdir()
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(out))
    dialog.template.setText("poster")
    (out / "poster.png").write_bytes(b"the designer's own file")
    fill_disk(monkeypatch, out)
    result = ask_and_answer(dialog, qloop, ["Replace"])
    assert result.paths == () and result.kept == out / "poster.png"
    assert [p.name for p in out.iterdir()] == ["poster.png"]
    assert (out / "poster.png").read_bytes() == b"the designer's own file"
    text = dialog.outcome.text()
    assert "The disk is full" in text
    assert "“poster.png” was not replaced: the file already there is as it was." in text


def test_the_last_folder_survives_a_restart(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path, studio: Studio
) -> None:
    dialog = open_dialog(studio, qloop)
    dialog.folder.setText(str(tmp_path / "kept"))
    export(studio, qloop, dialog)
    studio.window_state.sync()
    state = QSettings(str(studio.paths.config_dir / "window.ini"), QSettings.Format.IniFormat)
    assert state.value("export/folder") == str(tmp_path / "kept")


def test_a_tile_drags_out_as_a_file_url_and_image_data(studio: Studio) -> None:
    gallery = studio.gallery
    tile = gallery.tile(0)
    index = gallery.index(0)
    assert gallery.flags(index) & gallery.flags(index).ItemIsDragEnabled
    mime = gallery.mimeData([index])
    assert [url.toLocalFile() for url in mime.urls()] == [str(tile.path)]
    assert mime.hasFormat("image/png")
    assert bytes(mime.data("image/png").data()) == Path(str(tile.path)).read_bytes()
    assert studio.window.gallery_page.list.dragEnabled()
