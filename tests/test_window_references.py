"""The References list in the builder: drops of files and image data, paste, the limit, what was
converted and said, reorder, remove, and the references in the spec, the job and the estimate."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from app.main import Studio
from app.model.references import ROWS_MIME
from tests.gui_support import run, until

pytestmark = pytest.mark.gui


def encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def drop(studio: Studio, mime: QMimeData, point: QPoint | None = None) -> None:
    """A drag that enters the References list and drops there (as Qt delivers a real one)."""
    view = studio.library_parts.references_panel.list
    at = point if point is not None else QPoint(5, 5)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, actions, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(view.viewport(), QDropEvent(QPointF(at), actions, mime, buttons, keys))


def files_mime(paths: list[Path]) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    return mime


def wait_taken(studio: Studio, qloop: asyncio.AbstractEventLoop, count: int) -> None:
    model = studio.references
    run(qloop, until(lambda: model.rowCount() == count and not model.busy, model.busy_changed))


def notes(studio: Studio) -> str:
    return studio.library_parts.references_panel.notes.text()


def test_several_dropped_files_become_references_kept_in_the_library(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    sources = [
        write(tmp_path / f"ref{i}.png", encoded(Image.new("RGB", (64, 48), c), "PNG"))
        for i, c in enumerate(("red", "green", "blue"))
    ]
    drop(studio, files_mime(sources))
    wait_taken(studio, qloop, 3)
    kept = [Path(p) for p in studio.builder.references]
    assert len(kept) == 3
    assert all(p.is_relative_to(studio.paths.references_dir) for p in kept)
    for source in sources:
        source.unlink()  # the originals move away: the spec's references still work
    assert all(p.is_file() for p in kept)
    view = studio.library_parts.references_panel.list
    assert view.accessibleName() == "References"
    assert [view.model().index(i, 0).data() for i in range(3)] == [
        "ref0.png",
        "ref1.png",
        "ref2.png",
    ]
    assert "3 images added as they are" in notes(studio)
    # the thumbnails arrive, decoded off the GUI thread
    model = studio.references
    run(
        qloop,
        until(
            lambda: all(
                isinstance(model.index(i).data(Qt.ItemDataRole.DecorationRole), QImage)
                for i in range(3)
            ),
            model.dataChanged,
        ),
    )
    # the spec and the request carry them, in order
    studio.builder.description = "A tea poster"
    studio.preview.recompute()
    plan = studio.preview.plan
    assert plan is not None
    assert plan.request.images == tuple(str(p) for p in kept)
    assert [Path(r) for r in studio.builder.spec().references] == kept


def test_raw_image_data_from_a_browser_is_taken(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/pictures/teapot.webp")])
    mime.setData("image/webp", QByteArray(encoded(Image.new("RGB", (50, 40), "teal"), "WEBP")))
    drop(studio, mime)
    wait_taken(studio, qloop, 1)
    assert studio.references.references()[0].name == "teapot.webp"
    assert (studio.references.references()[0].width, studio.references.references()[0].height) == (
        50,
        40,
    )


def test_a_bare_web_link_is_refused_with_what_to_do(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/page.html")])
    drop(studio, mime)
    assert studio.references.rowCount() == 0
    assert "save the image, then drop the file" in notes(studio)


def test_a_pasted_image_becomes_a_reference(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    picture = QImage(120, 80, QImage.Format.Format_RGB32)
    picture.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(picture)
    studio.window.gallery_page.list.setFocus()
    studio.library_parts.paste_action.trigger()
    wait_taken(studio, qloop, 1)
    reference = studio.references.references()[0]
    assert (reference.width, reference.height) == (120, 80)
    assert Path(reference.path).suffix == ".png"


def test_the_seventeenth_reference_is_refused_with_a_message(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    paths = [
        write(tmp_path / f"r{i:02}.png", encoded(Image.new("RGB", (16, 16), (i * 10, 0, 0)), "PNG"))
        for i in range(17)
    ]
    drop(studio, files_mime(paths))
    wait_taken(studio, qloop, 16)
    assert studio.references.rowCount() == 16
    assert "r16.png: not added, refused: at most 16 references" in notes(studio)
    assert "16 of 16" in studio.library_parts.references_panel.count.text()


def test_beside_an_edited_image_the_limit_is_fifteen(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    studio.references.editing = True
    paths = [
        write(tmp_path / f"e{i:02}.png", encoded(Image.new("RGB", (16, 16), (0, i * 10, 0)), "PNG"))
        for i in range(16)
    ]
    drop(studio, files_mime(paths))
    wait_taken(studio, qloop, 15)
    assert "at most 15 references beside the image being edited" in notes(studio)


def test_awkward_images_are_converted_and_the_user_is_told(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    rotated = write(
        tmp_path / "phone.jpg", encoded(Image.new("RGB", (40, 20), "red"), "JPEG", exif=exif)
    )
    cmyk = write(
        tmp_path / "print.jpg", encoded(Image.new("CMYK", (30, 30), (0, 50, 50, 0)), "JPEG")
    )
    sixteen = write(tmp_path / "scan.png", encoded(Image.new("I;16", (30, 30), 40000), "PNG"))
    frames = [Image.new("RGB", (20, 20), c) for c in ("red", "lime", "blue")]
    animated = tmp_path / "wave.gif"
    frames[0].save(animated, save_all=True, append_images=frames[1:])
    broken = write(tmp_path / "broken.png", b"\x89PNG\r\n\x1a\nnot really")
    drop(studio, files_mime([rotated, cmyk, sixteen, animated, broken]))
    run(qloop, until(lambda: "broken.png" in notes(studio), studio.references.taken))
    said = notes(studio)
    assert "phone.jpg: added, turned upright as its camera orientation says" in said
    assert "print.jpg: added, converted from CMYK to 8-bit RGB" in said
    assert "scan.png: added, converted from 16-bit I;16 to 8-bit RGB" in said
    assert "wave.gif: added, animated (3 frames): its first frame is used, converted from P" in said
    assert "broken.png: not added" in said
    assert studio.references.rowCount() == 4
    sizes = [(r.width, r.height) for r in studio.references.references()]
    assert sizes[0] == (20, 40)  # upright
    for reference in studio.references.references():
        with Image.open(reference.path) as kept:
            assert kept.mode in ("RGB", "RGBA")
            assert getattr(kept, "n_frames", 1) == 1


def test_references_reorder_by_drag_and_remove_and_show_a_range_in_the_estimate(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    paths = [
        write(tmp_path / f"{name}.png", encoded(Image.new("RGB", (1024, 1024), c), "PNG"))
        for name, c in (("a", "red"), ("b", "green"), ("c", "blue"))
    ]
    drop(studio, files_mime(paths))
    wait_taken(studio, qloop, 3)
    studio.builder.description = "A tea poster"
    studio.preview.recompute()
    estimate = studio.window.generation.estimate
    assert "–" in estimate.text(), estimate.text()  # a range: references have no published price
    assert "reference image(s) add about" in estimate.toolTip()
    low, high = estimate.text().removeprefix("≈ ").split("–")
    assert float(low.strip("$")) < float(high.strip("$"))

    view = studio.library_parts.references_panel.list
    view.resize(400, 200)
    QApplication.processEvents()
    first = view.visualRect(studio.references.index(0))
    last = view.visualRect(studio.references.index(2))
    mime = QMimeData()
    mime.setData(ROWS_MIME, QByteArray(b"0"))
    drop(studio, mime, QPoint(last.right() - 2, last.center().y()))  # after the last one
    names = [Path(p).name for p in studio.builder.references]
    kept = {r.name: Path(r.path).name for r in studio.references.references()}
    assert names == [kept["b.png"], kept["c.png"], kept["a.png"]]
    mime = QMimeData()
    mime.setData(ROWS_MIME, QByteArray(b"2"))
    drop(studio, mime, QPoint(first.left() + 2, first.center().y()))  # before the first one
    assert [r.name for r in studio.references.references()] == ["a.png", "b.png", "c.png"]

    view.setCurrentIndex(studio.references.index(1))
    studio.library_parts.references_panel.remove_button.click()
    assert [r.name for r in studio.references.references()] == ["a.png", "c.png"]
    assert len(studio.builder.references) == 2
    studio.references.remove(0)
    studio.references.remove(0)
    studio.preview.recompute()
    assert "–" not in estimate.text()


def test_a_spec_with_references_shows_them(
    studio: Studio, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    import dataclasses

    from app.core.spec import Spec

    picture = write(tmp_path / "bottle.png", encoded(Image.new("RGB", (300, 200), "navy"), "PNG"))
    studio.builder.load(dataclasses.replace(Spec(), description="x", references=(str(picture),)))
    assert [r.name for r in studio.references.references()] == ["bottle.png"]
    run(
        qloop,
        until(lambda: studio.preview.reference_sizes == ((300, 200),), studio.preview.updated),
    )


def test_the_limits_shown_are_the_limits_applied() -> None:
    from app.core.reference_images import reference_limit
    from app.model.references import LIMIT, LIMIT_BESIDE_EDIT

    assert (
        reference_limit(editing=False),
        reference_limit(editing=True),
    ) == (LIMIT, LIMIT_BESIDE_EDIT)
