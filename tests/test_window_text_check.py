"""The text check in the window: badges, outlines, sort and filter, restart, and Fix text.

Images come from a scripted service that draws the studio's own typesetting over a plain
background (one variation with a look-alike character: 荼 for 茶). The real OCR worker reads them
where the test is about what the check finds; elsewhere a scripted checker answers at once.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncGenerator, Sequence
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import QLocale
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import QApplication

from app.core.fidelity import BlockCheck, CharDifference, RequiredText, TextCheck
from app.core.request import ImageRequest
from app.core.spec import Spec, TextBlock
from app.engine.service import CompletedImage, ImageEvent
from app.jobs.fix_text import HEIGHT_TOLERANCE, mask_box
from app.main import Studio
from app.model.gallery_fidelity import FIDELITY_ROLE
from app.model.text_checks import Fidelity
from app.ocr import OcrWorker
from app.ui.i18n import install_translators
from app.ui.tile_delegate import BADGE_COLOURS, badge
from tests.gui_support import USAGE, Misspelling, attach, make_studio, run, shut, until
from tests.ocr_fakes import offline_reader
from tests.ocr_images import render

pytestmark = pytest.mark.gui

HEADLINE = "春日茶会"
WRONG = "春日荼会"  # 荼 for 茶, the look-alike a reader misses
BOX = (0.1, 0.1, 0.8, 0.2)
INK = "#7a2e1b"


def poster(text: str, colour: str = INK) -> bytes:
    return render([TextBlock("headline", text, BOX, color=colour)])


class PosterService:
    """Generates the posters it is given, one per image; an edit with a mask "clears" the masked
    area to the background (what the model is asked for) or, asked for the exact text, draws
    the right poster."""

    def __init__(self, images: Sequence[bytes]) -> None:
        self.images = list(images)
        self.requests: list[ImageRequest] = []

    def generate(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        return self._events(request)

    edit = generate

    async def _events(self, request: ImageRequest) -> AsyncGenerator[ImageEvent, None]:
        self.requests.append(request)
        for index in range(request.n):
            if request.kind == "edit":
                data = self._edited(request)
            else:
                data = self.images[index % len(self.images)]
            yield CompletedImage(index, data, 1024, 1024, "png", USAGE)

    def _edited(self, request: ImageRequest) -> bytes:
        if f'exactly "{HEADLINE}"' in request.prompt and "Replace" in request.prompt:
            return poster(HEADLINE)
        original = Image.open(request.images[0]).convert("RGB")
        assert request.mask is not None
        editable = Image.open(request.mask).getchannel("A").point(lambda a: 255 if a < 128 else 0)
        plain = Image.new("RGB", original.size, original.getpixel((2, 2)))
        original.paste(plain, (0, 0), editable)
        buffer = io.BytesIO()
        original.save(buffer, "PNG")
        return buffer.getvalue()


class ScriptedChecker:
    """Answers at once: each image's headline read as ``found_by_colour`` says for the colour of
    its top-left pixel (the test's images differ there)."""

    def __init__(self, found_by_colour: dict[tuple[int, int, int], str]) -> None:
        self.found_by_colour = found_by_colour
        self.calls = 0

    async def check_async(self, image: bytes, required: Sequence[RequiredText]) -> TextCheck:
        self.calls += 1
        pixel = Image.open(io.BytesIO(image)).convert("RGB").getpixel((0, 0))
        found = self.found_by_colour[pixel]  # type: ignore[index]
        text = required[0].text
        differences = tuple(
            CharDifference("wrong", i, a, b, (100 + 40 * i, 100, 40, 40))
            for i, (a, b) in enumerate(zip(text, found, strict=True))
            if a != b
        )
        block = BlockCheck(
            text, "headline", found, not differences, len(differences) / len(text), differences,
            (100, 100, 40 * len(found), 40),
        )  # fmt: skip
        return TextCheck((block,), found)

    def close(self, timeout: float = 10.0) -> None:
        pass


def rgb(colour: str) -> tuple[int, int, int]:
    qcolor = QColor(colour)
    return (qcolor.red(), qcolor.green(), qcolor.blue())


def plain(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1024, 1024), colour).save(buffer, "PNG")
    return buffer.getvalue()


def use_spec(studio: Studio, n: int) -> None:
    studio.builder.load(
        Spec(description="a spring tea party poster", texts=(TextBlock("headline", HEADLINE, BOX),))
    )
    studio.builder.n = n


def fidelities(studio: Studio) -> list[Fidelity | None]:
    return [studio.text_checks.of_tile(tile) for tile in studio.gallery.tiles()]


def all_checked(studio: Studio, count: int) -> bool:
    found = fidelities(studio)
    return len(found) == count and all(f is not None and f.state == "done" for f in found)


async def generate_and_check(studio: Studio, count: int) -> None:
    studio.window.generate()
    await until(
        lambda: all_checked(studio, count),
        studio.text_checks.changed,
        studio.gallery.dataChanged,
        timeout=240,
    )


def colour_near(colour: QColor, hex_colour: str, tolerance: int = 30) -> bool:
    wanted = QColor(hex_colour)
    return (
        abs(colour.red() - wanted.red()) <= tolerance
        and abs(colour.green() - wanted.green()) <= tolerance
        and abs(colour.blue() - wanted.blue()) <= tolerance
    )


def test_badges_count_the_wrong_character_and_the_large_view_outlines_it(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    """The real OCR, in its worker process: one exact poster, one with 荼 for 茶."""
    service = PosterService([poster(HEADLINE), poster(WRONG)])
    studio.text_checks._make_checker = lambda: OcrWorker(make_reader=offline_reader)
    use_spec(studio, 2)
    page = studio.window.gallery_page

    async def scenario() -> None:
        await attach(studio, service)
        await generate_and_check(studio, 2)
        page.select_row(1)
        await until(lambda: bool(page.viewer.outlines()), studio.gallery.image_ready)

    run(qloop, scenario())
    exact, wrong = fidelities(studio)
    assert exact is not None and exact.exact and badge(exact) == ("✓ exact", "exact")
    assert wrong is not None and wrong.wrong_count == 1
    assert badge(wrong) == ("1 character off", "wrong")
    (difference,) = wrong.check.blocks[0].differences  # type: ignore[union-attr]
    assert (difference.expected, difference.found, difference.look_alike) == ("茶", "荼", True)

    # The view's rows carry the check, and the wrong tile is drawn with a red badge.
    assert page.list.model().index(1, 0).data(FIDELITY_ROLE) == wrong
    picture = page.list.grab().toImage()
    rect = page.list.visualRect(page.list.model().index(1, 0))
    badge_pixels = [
        picture.pixelColor(x, y)
        for x in range(rect.left(), rect.right(), 2)
        for y in range(rect.top(), rect.bottom(), 2)
    ]
    assert any(colour_near(c, BADGE_COLOURS["wrong"], 12) for c in badge_pixels)
    assert any(colour_near(c, BADGE_COLOURS["exact"], 12) for c in _tile_pixels(page, 0))

    # The outline is around 荼, the third character, in the picture's pixels.
    (outline,) = page.viewer.outlines()
    shown = page.viewer._item.pixmap().width() / 1024
    x, y, w, h = difference.box  # type: ignore[misc]
    assert outline.contains((x + w / 2) * shown, (y + h / 2) * shown)
    third = wrong.check.blocks[0].box  # type: ignore[union-attr]
    assert third is not None and third[0] + third[2] * 0.4 < x + w / 2 < third[0] + third[2] * 0.85

    # The result is in the library.
    assert studio.library.text_check(studio.gallery.tile(1).image_id).wrong_count == 1
    assert studio.library.text_check(studio.gallery.tile(0).image_id).exact


def _tile_pixels(page: object, row: int) -> list[QColor]:
    view = page.list  # type: ignore[attr-defined]
    picture = view.grab().toImage()
    rect = view.visualRect(view.model().index(row, 0))
    return [
        picture.pixelColor(x, y)
        for x in range(rect.left(), rect.right(), 2)
        for y in range(rect.top(), rect.bottom(), 2)
    ]


def test_the_gallery_sorts_and_filters_by_fidelity(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    colours = {"#aa0000": "春日荼荟", "#00aa00": HEADLINE, "#0000aa": "春日荼会"}
    service = PosterService([plain(colour) for colour in colours])
    checker = ScriptedChecker({rgb(c): found for c, found in colours.items()})
    studio.text_checks._make_checker = lambda: checker
    use_spec(studio, 3)
    page = studio.window.gallery_page
    controls = studio.fidelity

    def shown_wrong_counts() -> list[int]:
        proxy = page.proxy
        return [
            proxy.index(row, 0).data(FIDELITY_ROLE).wrong_count for row in range(proxy.rowCount())
        ]

    run(qloop, attach(studio, service))
    run(qloop, generate_and_check(studio, 3))
    assert shown_wrong_counts() == [2, 0, 1]  # newest first: the images' own order
    controls.sort.setCurrentIndex(controls.sort.findData("fidelity"))
    assert shown_wrong_counts() == [0, 1, 2]
    page.select_row(0)
    assert page.current_tile() == studio.gallery.tile(1)  # the view's row 0 is the exact image
    controls.filter.setCurrentIndex(controls.filter.findData("wrong"))
    assert shown_wrong_counts() == [1, 2]
    controls.filter.setCurrentIndex(controls.filter.findData("exact"))
    assert shown_wrong_counts() == [0]
    controls.filter.setCurrentIndex(controls.filter.findData("all"))
    controls.sort.setCurrentIndex(controls.sort.findData("newest"))
    assert shown_wrong_counts() == [2, 0, 1]
    assert checker.calls == 3


def test_a_screen_reader_hears_each_tiles_badge_in_the_ui_language(
    studio: Studio, qloop: asyncio.AbstractEventLoop, qapp: QApplication
) -> None:
    colours = {"#aa0000": "春日荼荟", "#00aa00": HEADLINE}
    service = PosterService([plain(colour) for colour in colours])
    checker = ScriptedChecker({rgb(c): found for c, found in colours.items()})
    studio.text_checks._make_checker = lambda: checker
    use_spec(studio, 2)
    run(qloop, attach(studio, service))
    run(qloop, generate_and_check(studio, 2))
    view = studio.window.gallery_page.list

    def described() -> list[str]:
        """Each tile's description as the accessibility layer (a screen reader) reads it."""
        listed = QAccessible.queryAccessibleInterface(view)
        cells = [listed.child(i) for i in range(listed.childCount())]
        return [
            cell.text(QAccessible.Text.Description)
            for cell in cells
            if cell.role() == QAccessible.Role.ListItem
        ]

    assert described() == [
        "Text check: 2 characters off, 春日茶会 — read as 春日荼荟",
        "Text check: ✓ exact",
    ]
    locale = QLocale()
    installed = install_translators(qapp, "zh_CN")
    try:
        assert described() == [
            "文字核对：错 2 个字，春日茶会 — 识别为 春日荼荟",
            "文字核对：✓ 准确",
        ]
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        QLocale.setDefault(locale)  # text shaping follows it: other tests must not see Chinese


def test_badges_come_back_after_a_restart_from_the_library(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    colours = {"#aa0000": "春日荼会", "#00aa00": HEADLINE}
    service = PosterService([plain(colour) for colour in colours])
    first = make_studio(tmp_path)
    first.text_checks._make_checker = lambda: ScriptedChecker(
        {rgb(c): found for c, found in colours.items()}
    )
    use_spec(first, 2)
    first.window._confirmed_close = True
    run(qloop, attach(first, service))
    run(qloop, generate_and_check(first, 2))
    images = [(tile.image_id, tile.path) for tile in first.gallery.tiles()]
    run(qloop, shut(first))

    second = make_studio(tmp_path)
    second.window._confirmed_close = True
    second.text_checks._make_checker = lambda: pytest.fail("nothing is checked again")
    try:
        run(qloop, attach(second, service))
        # The gallery shows the earlier images again (as the Library does when a job is opened).
        second.gallery.add_job(99, 2, quality="medium", local=False)
        for index, (image_id, path) in enumerate(images):
            second.gallery.finish(
                (99, index), image_id=image_id, path=path, width=1024, height=1024
            )
        run(
            qloop,
            until(lambda: all_checked(second, 2), second.text_checks.changed, timeout=30),
        )
        assert [badge(f) for f in fidelities(second)] == [
            ("1 character off", "wrong"),
            ("✓ exact", "exact"),
        ]
    finally:
        run(qloop, shut(second))


def test_a_badge_is_kept_in_the_library_before_it_shows(
    qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    """Closing the window the moment a badge shows must not lose it: the check is kept first."""
    colours = {"#aa0000": WRONG, "#00aa00": HEADLINE}
    service = PosterService([plain(colour) for colour in colours])
    studio = make_studio(tmp_path)
    studio.window._confirmed_close = True
    studio.text_checks._make_checker = lambda: ScriptedChecker(
        {rgb(c): found for c, found in colours.items()}
    )
    use_spec(studio, 2)
    kept_when_shown: list[bool] = []

    def shown(image_id: int) -> None:
        fidelity = studio.text_checks.fidelity(image_id)
        if fidelity is not None and fidelity.state == "done":
            library = studio.text_checks._library()
            kept_when_shown.append(library.text_check(image_id) is not None)

    studio.text_checks.changed.connect(shown)
    try:
        run(qloop, attach(studio, service))
        run(qloop, generate_and_check(studio, 2))
        assert kept_when_shown == [True, True]
    finally:
        run(qloop, shut(studio))


def _wrong_tile(studio: Studio, qloop: asyncio.AbstractEventLoop, service: PosterService) -> None:
    studio.text_checks._make_checker = lambda: OcrWorker(make_reader=offline_reader)
    use_spec(studio, 1)
    run(qloop, attach(studio, service))
    run(qloop, generate_and_check(studio, 1))
    fidelity = fidelities(studio)[0]
    assert fidelity is not None and fidelity.wrong_count == 1


def _fixed(studio: Studio, qloop: asyncio.AbstractEventLoop, way: str) -> Fidelity:
    """Fix text from the menu on the current image; its check, once the new image arrives."""
    page, controls = studio.window.gallery_page, studio.fidelity
    page.select_row(0)
    controls.menu.aboutToShow.emit()
    wanted = {
        "edit": "Ask the model for the exact text",
        "typeset": "Clear it and set the exact text here",
    }[way]
    (action,) = [a for a in controls.menu.actions() if a.text() == wanted]
    assert action.isEnabled()
    action.trigger()
    run(
        qloop,
        until(
            lambda: all_checked(studio, 2), studio.gallery.dataChanged, studio.text_checks.changed,
            timeout=240,
        ),
    )  # fmt: skip
    fidelity = fidelities(studio)[0]
    assert fidelity is not None
    return fidelity


def test_fix_text_by_edit_asks_for_exactly_the_right_text(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = PosterService([poster(WRONG)])
    _wrong_tile(studio, qloop, service)
    original = studio.gallery.tile(0)
    found_box = studio.text_checks.of_tile(original).check.blocks[0].box  # type: ignore[union-attr]

    fixed = _fixed(studio, qloop, "edit")
    request = service.requests[-1]
    assert request.kind == "edit" and request.n == 1
    assert f'Replace the text "{WRONG}" with exactly "{HEADLINE}"' in request.prompt
    assert request.images[0] == str(original.path)
    # The mask lets the model change the found text's region only.
    assert request.mask is not None and found_box is not None
    alpha = Image.open(request.mask).getchannel("A")
    x, y, w, h = found_box
    assert alpha.getpixel((x + w // 2, y + h // 2)) == 0
    assert alpha.getpixel((x + w // 2, min(1023, y + 3 * h))) == 255
    # The result is a new image, a child of the original, and it checks exact.
    assert fixed.exact
    new = studio.library.image(studio.gallery.tile(0).image_id)
    assert new.parent_image_id == original.image_id


def test_fix_text_by_typesetting_sets_the_exact_text_in_the_found_place(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    service = PosterService([poster(WRONG)])
    _wrong_tile(studio, qloop, service)
    original = studio.gallery.tile(0)
    block = studio.text_checks.of_tile(original).check.blocks[0]  # type: ignore[union-attr]
    assert block.box is not None

    fixed = _fixed(studio, qloop, "typeset")
    request = service.requests[-1]
    assert request.kind == "edit" and "Remove every letter" in request.prompt
    assert HEADLINE not in request.prompt  # the model is asked for no text at all
    assert fixed.exact, fixed.check  # the exact text, set by the typesetter, reads back exactly

    new_tile = studio.gallery.tile(0)
    record = studio.library.image(new_tile.image_id)
    assert record.parent_image_id == original.image_id
    result = Image.open(record.path).convert("RGB")
    cleared = Image.open(io.BytesIO(_cleared_background(studio, record))).convert("RGB")
    original_pixels = Image.open(original.path).convert("RGB")  # type: ignore[arg-type]
    was_ink, ink = _ink(original_pixels, cleared), _ink(result, cleared)
    # As tall as the wrong text was, where it was (its box is the OCR's, with a margin).
    was_box, box = was_ink.getbbox(), ink.getbbox()
    assert was_box is not None and box is not None
    was_height, height = was_box[3] - was_box[1], box[3] - box[1]
    assert abs(height - was_height) <= HEIGHT_TOLERANCE * was_height, (height, was_height)
    assert abs((box[1] + box[3]) - (was_box[1] + was_box[3])) / 2 <= HEIGHT_TOLERANCE * was_height
    assert block.box[1] <= box[1] and box[3] <= block.box[1] + block.box[3]
    # In the found ink's median colour.
    median = ImageStat.Stat(result, ink).median
    assert colour_near(QColor(*median[:3]), INK, 40), median


def test_fix_text_by_edit_on_a_local_draft_leaves_no_wrong_glyph_under_the_right_one(
    studio: Studio, qloop: asyncio.AbstractEventLoop
) -> None:
    """The embedded engine clears the masked region before it draws the exact text: the real OCR
    reads the fixed draft exactly, and nothing outside the mask changed."""
    studio.text_checks._make_checker = lambda: OcrWorker(make_reader=offline_reader)

    async def start() -> None:
        await studio.start(load_settings=False)
        assert studio._runner is not None and studio.generator.engine is not None
        assert studio.generator.engine.local
        studio._runner._service = Misspelling(studio._runner._service, HEADLINE, WRONG)
        use_spec(studio, 1)
        await generate_and_check(studio, 1)

    run(qloop, start())
    original = studio.gallery.tile(0)
    assert original.local and original.path is not None
    wrong = fidelities(studio)[0]
    assert wrong is not None and wrong.wrong_count == 1  # the draft reads 荼 for 茶
    found_box = wrong.check.blocks[0].box  # type: ignore[union-attr]
    assert found_box is not None

    fixed = _fixed(studio, qloop, "edit")
    assert fixed.exact, fixed.check  # the old glyphs are gone: the right text reads back exactly
    record = studio.library.image(studio.gallery.tile(0).image_id)
    assert record.parent_image_id == original.image_id
    before = Image.open(original.path).convert("RGB")
    after = Image.open(record.path).convert("RGB")
    changed = ImageChops.difference(before, after).getbbox()
    assert changed is not None  # the region was redrawn
    x, y, w, h = mask_box(found_box, before.size)
    assert x <= changed[0] and y <= changed[1]
    assert changed[2] <= x + w and changed[3] <= y + h  # outside the mask: the original's pixels


def _ink(image: Image.Image, background: Image.Image) -> Image.Image:
    """Where ``image`` has ink over ``background``: a mask (L, 255 on ink)."""
    difference = ImageChops.difference(image, background).convert("L")
    return difference.point(lambda value: 255 if value > 40 else 0)


def _cleared_background(studio: Studio, record: object) -> bytes:
    from app.store.exact_parts import kept_parts

    parts = kept_parts(record)  # type: ignore[arg-type]
    assert parts is not None  # the cleared image is kept beside the composite
    return Path(parts.background).read_bytes()
