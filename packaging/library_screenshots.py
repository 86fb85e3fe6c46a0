"""Screenshots of the window's References list, export dialog and Library dock, for review.

Run under a display, for example:
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/library_screenshots.py OUT_DIR \\
        [--language zh_CN] [--theme dark]

Scenes: the builder with six references (one converted, one refused); the export dialog over the
gallery; the question when an exported name is taken; the library searched for 茶.
"""

from __future__ import annotations

import asyncio
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from library_fixture import fill_library, references  # beside this script
from PIL import Image
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QMessageBox
from studio_scenes import run_scenes, screenshot_arguments  # beside this script


async def scenes(studio: object, out: Path, suffix: str, work: Path) -> None:
    from app.main import Studio

    assert isinstance(studio, Studio)
    window = studio.window
    await studio.start(load_settings=False)
    parts = studio.library_parts

    async def shot(name: str, widget: object = None) -> None:
        await asyncio.sleep(0.5)  # let layout, thumbnails and paint settle
        target = widget or window
        path = out / f"{name}{suffix}.png"
        target.grab().save(str(path))  # type: ignore[attr-defined]
        print(path)

    builder = studio.builder
    builder.description = "A spring tea poster: a glass teapot on a wooden table, soft light."
    builder.blocks.add("headline", "春日限定")
    builder.blocks.add("subhead", "西湖龙井 新茶上市")
    pictures = references(work / "refs", 5)
    exif = Image.Exif()
    exif[0x0112] = 6
    phone = work / "refs" / "phone-photo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (480, 320), "#c8a27a").save(buffer, "JPEG", exif=exif)
    phone.write_bytes(buffer.getvalue())
    broken = work / "refs" / "notes.txt"
    broken.write_text("not an image")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in [*pictures, phone, broken]])
    parts.references_panel.take_mime(mime)
    while studio.references.rowCount() < 6 or studio.references.busy:
        await asyncio.sleep(0.05)
    panel = window.builder_panel
    panel.ensureWidgetVisible(parts.references_panel)
    await shot("references-six")

    parts.search_library()
    window.resizeDocks([parts.library_dock], [260], Qt.Orientation.Vertical)
    parts.library_panel.search.setText("茶")
    await asyncio.sleep(1.5)
    await shot("library-search")
    await shot("library-dock", parts.library_dock)

    parts.library_panel.list.setCurrentIndex(studio.library_view.index(0))
    parts.library_panel.open_current()  # the spec typed above is unsaved: it asks first
    while getattr(parts, "replace_box", None) is None:
        await asyncio.sleep(0.05)
    await shot("replace-question", parts.replace_box)
    parts.replace_box.button(QMessageBox.StandardButton.Discard).click()
    await asyncio.sleep(1.5)
    window.gallery_page.select_row(0)
    parts.export_dialog.folder.setText(str(work / "exports"))
    parts.export()
    await asyncio.sleep(1.0)
    await shot("export-dialog", parts.export_dialog)
    await shot("export-dialog-window")

    dialog = parts.export_dialog
    dialog.whole_job.setChecked(True)
    finished: list[object] = []
    dialog.exporter.finished.connect(finished.append)
    dialog.export_button.click()
    while not finished:
        await asyncio.sleep(0.05)
    dialog.export_button.click()  # the same names again: it asks, name by name
    while dialog.clash_box is None or not dialog.clash_box.isVisible():
        await asyncio.sleep(0.05)
    await shot("export-clash", dialog.clash_box)
    dialog.clash_box.button(QMessageBox.StandardButton.Cancel).click()


def main() -> int:
    parser = screenshot_arguments()
    parser.add_argument("--suffix", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zi-library-shots-"))

    def fill() -> None:
        from app.store.paths import StudioPaths

        fill_library(StudioPaths.from_environment(), jobs=24, per_job=2)

    return run_scenes(
        args, lambda studio: scenes(studio, args.out, args.suffix, work), home=work / "home",
        prepare=fill,
    )  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
