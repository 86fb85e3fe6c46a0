"""Screenshots of the text check in the window: badges, outlines, sort and filter, Fix text.

Run under a display, for example:
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/text_check_screenshots.py OUT_DIR

The studio starts as usual (the embedded engine); its service is then replaced by one that
draws posters with the studio's typesetter, some with look-alike characters (荼 for 茶, 体 for 休),
so the real OCR worker has something to find. Asked to clear a masked region, that service
draws the poster without the block there (what a model asked to clear it should do).

With ``--local-draft`` the embedded engine itself draws the poster (its draft misspells the
headline, 荼 for 茶), and Fix text asks it for the exact text in the found text's region: the shots
show the wrong draft and the fixed one, and the two images are saved beside them.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncGenerator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio_scenes import run_scenes, screenshot_arguments  # beside this script

HEADLINE, SUBHEAD, PRICE = "春日茶会", "休闲时光 新品上市", "第二杯半价"
VARIATIONS = (
    (HEADLINE, SUBHEAD, PRICE),
    ("春日荼会", SUBHEAD, PRICE),
    ("春日荼会", "体闲时光 新品上市", PRICE),
    (HEADLINE, SUBHEAD, PRICE),
)
BOXES = ((0.1, 0.08, 0.8, 0.16), (0.15, 0.3, 0.7, 0.07), (0.3, 0.8, 0.4, 0.08))
ROLES = ("headline", "subhead", "price")


def poster(texts: tuple[str, ...], *, seed: int, skip: int | None = None) -> bytes:
    from app.core.spec import TextBlock
    from tests.ocr_images import render

    blocks = [
        TextBlock(role, text, box, color="#7a2e1b" if role == "headline" else None)
        for index, (role, text, box) in enumerate(zip(ROLES, texts, BOXES, strict=True))
        if index != skip
    ]
    return render(blocks, 768, 1024, background="gradient", seed=seed)


class PosterService:
    """Draws the variations; an edit that asks for the exact text draws it right, one that asks
    to clear the masked region draws the scene without the headline."""

    def generate(self, request: object) -> AsyncGenerator[object, None]:
        return self._events(request)

    edit = generate

    async def _events(self, request: object) -> AsyncGenerator[object, None]:
        from app.engine.service import CompletedImage

        usage = {"input_tokens": 100, "output_tokens": 1756, "total_tokens": 1856}
        for index in range(request.n):  # type: ignore[attr-defined]
            data = await asyncio.to_thread(self._draw, request, index)
            yield CompletedImage(index, data, 768, 1024, "png", usage)

    def _draw(self, request: object, index: int) -> bytes:
        kind = request.kind  # type: ignore[attr-defined]
        if kind != "edit":
            return poster(VARIATIONS[index % len(VARIATIONS)], seed=index)
        prompt = request.prompt  # type: ignore[attr-defined]
        texts = VARIATIONS[1]  # the variation Fix text is tried on
        if "Replace" in prompt:
            return poster((HEADLINE, *texts[1:]), seed=1)
        return poster(texts, seed=1, skip=0)  # cleared: the scene without the headline


async def scenes(studio: object, out: Path, suffix: str) -> None:
    from PySide6.QtGui import QGuiApplication

    from app.main import Studio
    from app.model.gallery_fidelity import FIDELITY_ROLE
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window = studio.window
    await studio.start(load_settings=False)

    async def shot(name: str, *, screen: bool = False) -> None:
        await asyncio.sleep(0.4)  # let the last layout and paint settle before grabbing
        path = out / f"{name}{suffix}.png"
        if screen:  # popups (a menu) are separate windows: grab the screen
            screen_shot = QGuiApplication.primaryScreen().grabWindow(0)
            screen_shot.copy(window.frameGeometry()).save(str(path))
        else:
            window.grab().save(str(path))
        print(path)

    builder = studio.builder
    builder.description = "A spring tea party poster: a teapot and cups, soft morning light."
    for role, text in zip(ROLES, VARIATIONS[0], strict=True):
        builder.blocks.add(role, text)
    builder.use_size("768x1024")
    builder.n = 4
    studio.generator._runner._service = PosterService()  # type: ignore[union-attr]
    window.generate()
    gallery, checks = studio.gallery, studio.text_checks
    page, controls = window.gallery_page, studio.fidelity

    def checked(count: int) -> bool:
        found = [checks.of_tile(tile) for tile in gallery.tiles()]
        return len(found) == count and all(f is not None and f.state == "done" for f in found)

    await until(lambda: checked(4), gallery.dataChanged, checks.changed, timeout=300)
    page.select_row(2)
    await until(lambda: bool(page.viewer.outlines()), gallery.image_ready, timeout=60)
    await shot("text-check-badges-outlines")

    controls.sort.setCurrentIndex(controls.sort.findData("fidelity"))
    await shot("text-check-sorted")
    controls.filter.setCurrentIndex(controls.filter.findData("wrong"))
    page.select_row(0)
    await until(lambda: bool(page.viewer.outlines()), gallery.image_ready, timeout=60)
    await shot("text-check-filtered-wrong")
    controls.filter.setCurrentIndex(controls.filter.findData("all"))
    controls.sort.setCurrentIndex(controls.sort.findData("newest"))

    page.select_row(1)  # one wrong character: 荼 for 茶
    await until(lambda: bool(page.viewer.outlines()), gallery.image_ready, timeout=60)
    button = controls.fix_button
    controls.menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    await shot("text-check-fix-menu", screen=True)
    (clear,) = [a for a in controls.menu.actions() if a.text().startswith(("Clear", "清除"))]
    controls.menu.hide()
    clear.trigger()
    await until(lambda: checked(5), gallery.dataChanged, checks.changed, timeout=300)
    page.select_row(0)
    await until(lambda: page.viewer.has_image, gallery.image_ready, timeout=60)
    await shot("text-check-fixed")
    fixed = page.list.model().index(0, 0).data(FIDELITY_ROLE)
    print("fixed image:", "exact" if fixed is not None and fixed.exact else fixed)


async def local_draft_scenes(studio: object, out: Path, suffix: str) -> None:
    import shutil

    from app.main import Studio
    from tests.gui_support import Misspelling, until

    assert isinstance(studio, Studio)
    window = studio.window
    await studio.start(load_settings=False)
    runner = studio.generator._runner
    assert runner is not None
    runner._service = Misspelling(runner._service, HEADLINE, "春日荼会")
    builder = studio.builder
    builder.description = "A spring tea party poster: a teapot and cups, soft morning light."
    for role, text in zip(ROLES, VARIATIONS[0], strict=True):
        builder.blocks.add(role, text)
    builder.use_size("768x1024")
    builder.n = 1
    window.generate()
    gallery, checks = studio.gallery, studio.text_checks
    page, controls = window.gallery_page, studio.fidelity

    def checked(count: int) -> bool:
        found = [checks.of_tile(tile) for tile in gallery.tiles()]
        return len(found) == count and all(f is not None and f.state == "done" for f in found)

    async def shot(name: str) -> None:
        await asyncio.sleep(0.4)  # let the last layout and paint settle before grabbing
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)

    await until(lambda: checked(1), gallery.dataChanged, checks.changed, timeout=300)
    page.select_row(0)
    await until(lambda: bool(page.viewer.outlines()), gallery.image_ready, timeout=60)
    await shot("text-check-local-wrong")
    controls.menu.aboutToShow.emit()
    (ask,) = [a for a in controls.menu.actions() if a.text().startswith(("Ask", "请模型"))]
    ask.trigger()
    await until(lambda: checked(2), gallery.dataChanged, checks.changed, timeout=300)
    page.select_row(0)
    await until(lambda: page.viewer.has_image, gallery.image_ready, timeout=60)
    await shot("text-check-local-fixed")
    for row, name in ((1, "wrong"), (0, "fixed")):
        tile = gallery.tile(row)
        assert tile.path is not None
        shutil.copyfile(tile.path, out / f"local-draft-{name}{suffix}.png")
    fixed = checks.of_tile(gallery.tile(0))
    print("fixed image:", "exact" if fixed is not None and fixed.exact else fixed)


def main() -> int:
    parser = screenshot_arguments()
    parser.add_argument("--suffix", default="")
    parser.add_argument("--local-draft", action="store_true", help="Fix text on a local draft")
    args = parser.parse_args()
    if args.local_draft:
        return run_scenes(args, lambda studio: local_draft_scenes(studio, args.out, args.suffix))
    return run_scenes(args, lambda studio: scenes(studio, args.out, args.suffix))


if __name__ == "__main__":
    raise SystemExit(main())
