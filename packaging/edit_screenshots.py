"""Screenshots of the Edit dock on the embedded engine: a conversation whose versions branch, the
compare of two versions (side by side, swipe), and the mask painter in the dock; with
``--scene cancelled``, a conversation with a turn cancelled after its first version; with
``--scene typed-replace``, a replacement typed in the designer's own words on a local draft. With
``--retypeset``: an exact-text image whose headline, then subhead box, changed, and the versions
this set again, as turns in the conversation and labels in the tree.

    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/edit_screenshots.py OUT_DIR
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/edit_screenshots.py OUT_DIR \
        --retypeset --language zh_CN
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio_scenes import run_scenes, screenshot_arguments  # beside this script


async def scenes(studio: object, out: Path, suffix: str) -> None:
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window, edits = studio.window, studio.edits
    await studio.start(load_settings=False)

    async def shot(name: str) -> None:
        await asyncio.sleep(0.5)  # let the last layout and paint settle before grabbing
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    async def settled(versions: int) -> None:
        await until(
            lambda: edits.tree is not None and len(edits.tree.versions) == versions
            and not edits.busy,
            edits.tree_changed, edits.busy_changed, timeout=180,
        )  # fmt: skip

    builder = studio.builder
    builder.description = (
        "An event key visual for an AI training camp: a bright auditorium stage, blue light, "
        "people with laptops in the front rows."
    )
    builder.blocks.add("headline", "AI Engineering")
    builder.blocks.add("subhead", "春季训练营 · 三月开课")
    builder.use_ratio("1:1")
    builder.n = 1
    builder.quality = "low"
    window.generate()
    await settled(1)
    panel = window.edit_panel
    root = edits.tree.root_id  # type: ignore[union-attr]
    for text in ("swap the background to a warm sunset, leave everything else",):
        panel.instruction.setPlainText(text)
        panel.send()
        await settled(2)
    panel.replace_button.setChecked(True)
    panel.replace_text.setText("AI Engineer 训练营")
    panel.send_replacement()
    await settled(3)
    edits.make_current(root)
    panel.instruction.setPlainText("make it a winter scene with snow outside the windows")
    panel.send()
    await settled(4)
    await until(lambda: window.gallery_page.viewer.has_image, studio.gallery.image_ready)
    panel.instruction.setPlainText("make the headline 30% larger")
    await shot("edit-conversation-branch")

    versions = edits.tree.versions  # type: ignore[union-attr]
    edits.compare(versions[0].image.id, versions[2].image.id)
    page = window.compare_page
    await until(lambda: page.left.has_image and page.right.has_image, page.left.zoomed)
    await shot("compare-side-by-side")
    page.use_swipe(True)
    page.swipe.set_position(0.45)
    await shot("compare-swipe")
    page.swipe.zoom(2.0)
    await shot("compare-swipe-zoomed")

    from PySide6.QtCore import QRectF

    window.tabs.setCurrentWidget(window.gallery_page)
    panel.paint_mask.setChecked(True)
    await until(lambda: panel.painter.mask_model is not None, edits.images.image_ready)
    panel.painter.mask_model.fill_rect(QRectF(80, 300, 860, 250))  # type: ignore[union-attr]
    panel.instruction.setPlainText("a glowing neural network diagram in this area")
    await shot("edit-mask-painting")


async def retypeset_scenes(studio: object, out: Path, suffix: str) -> None:
    from app.core.spec import TextBlock
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window, edits, gallery = studio.window, studio.edits, studio.gallery
    await studio.start(load_settings=False)
    builder = studio.builder
    builder.description = "A tea shop poster: a glass of iced tea on a wooden counter."
    builder.blocks.set_blocks([
        TextBlock("headline", "春日限定", box=(0.1, 0.08, 0.8, 0.16)),
        TextBlock("subhead", "新茶上市 · 第二杯半价", box=(0.15, 0.28, 0.7, 0.07)),
    ])  # fmt: skip
    builder.use_ratio("1:1")
    builder.n = 1
    builder.quality = "low"
    builder.exact_text = True
    window.generate()
    await until(lambda: [t.state for t in gallery.tiles()] == ["done"], gallery.dataChanged,
                timeout=180)  # fmt: skip
    window.gallery_page.select_row(0)
    retypesetter = studio.retypesetter

    async def set_again(change: Callable[[], object], versions: int) -> None:
        before = gallery.tile(0).image_id
        change()
        await until(lambda: gallery.tile(0).image_id != before and not retypesetter.busy,
                    gallery.dataChanged, retypesetter.busy_changed, timeout=60)  # fmt: skip
        await until(lambda: edits.tree is not None and len(edits.tree.versions) == versions
                    and edits.tree.current_id == gallery.tile(0).image_id,
                    edits.tree_changed, timeout=60)  # fmt: skip

    await set_again(lambda: builder.blocks.set_text(0, "夏日冰饮"), 2)
    await set_again(lambda: studio.layout_board.set_box(1, (0.15, 0.8, 0.7, 0.07)), 3)
    viewer = window.gallery_page.viewer
    await until(lambda: viewer.key == gallery.tile(0).key and viewer.has_image,
                gallery.image_ready, timeout=60)  # fmt: skip
    await asyncio.sleep(0.5)  # thumbnails decoded for the turns and the tree
    window.grab().save(str(out / f"edit-retypeset{suffix}.png"))
    print(out / f"edit-retypeset{suffix}.png")


async def tea_poster_drafted(studio: Any) -> Callable[[int], Awaitable[None]]:
    """The studio started on a two-text tea poster, its first draft asked for; what waits until
    the Edit dock's tree has a number of versions and nothing is being sent."""
    from tests.gui_support import until

    edits = studio.edits
    await studio.start(load_settings=False)
    builder = studio.builder
    builder.description = "A tea shop poster: a celadon teapot on a wooden table, morning light."
    builder.blocks.add("headline", "春日限定")
    builder.blocks.add("subhead", "明前龙井 · 新茶上市")
    builder.use_ratio("3:4")
    builder.n = 1
    builder.quality = "low"
    studio.window.generate()

    async def settled(versions: int) -> None:
        await until(
            lambda: edits.tree is not None and len(edits.tree.versions) == versions
            and not edits.busy,
            edits.tree_changed, edits.busy_changed, timeout=180,
        )  # fmt: skip

    return settled


async def cancelled_scene(studio: object, out: Path, suffix: str) -> None:
    """A done turn, then a turn of two versions cancelled (Esc) once the first has arrived."""
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window = studio.window
    settled = await tea_poster_drafted(studio)

    await settled(1)
    panel = window.edit_panel
    panel.instruction.setPlainText("warmer light, leave everything else")
    panel.send()
    await settled(2)
    panel.variations.setValue(2)
    panel.instruction.setPlainText("add steam rising from the teapot")
    panel.send()
    await until(
        lambda: any(e.received == 1 and e.active for e in studio.queue.entries()),
        studio.queue.dataChanged, timeout=180,
    )  # fmt: skip
    window.cancel_action.trigger()  # Esc
    await settled(3)
    panel.variations.setValue(1)
    await until(lambda: window.gallery_page.viewer.has_image, studio.gallery.image_ready)
    await asyncio.sleep(0.5)
    window.grab().save(str(out / f"edit-cancelled-turn{suffix}.png"))
    print(out / f"edit-cancelled-turn{suffix}.png")


async def typed_replace_scene(studio: object, out: Path, suffix: str) -> None:
    """把“春日限定”改成“夏日冰饮”, typed: the new version, then it beside the one it edited."""
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window, edits = studio.window, studio.edits
    settled = await tea_poster_drafted(studio)

    async def shot(name: str) -> None:
        await asyncio.sleep(0.5)  # let the last layout and paint settle before grabbing
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    await settled(1)
    panel = window.edit_panel
    panel.instruction.setPlainText("把“春日限定”改成“夏日冰饮”")
    panel.send()
    await settled(2)
    await until(lambda: window.gallery_page.viewer.has_image, studio.gallery.image_ready)
    gallery, checks = studio.gallery, studio.text_checks

    def all_checked() -> bool:
        found = [checks.of_tile(tile) for tile in gallery.tiles()]
        return len(found) == 2 and all(f is not None and f.state != "checking" for f in found)

    await until(all_checked, checks.changed, gallery.dataChanged, timeout=300)
    await shot("edit-typed-replace")
    versions = edits.tree.versions  # type: ignore[union-attr]
    edits.compare(versions[0].image.id, versions[1].image.id)
    page = window.compare_page
    await until(lambda: page.left.has_image and page.right.has_image, page.left.zoomed)
    await shot("edit-typed-replace-compare")


def main() -> int:
    parser = screenshot_arguments()
    parser.add_argument("--suffix", default="-1280")
    parser.add_argument("--scene", default="all", choices=("all", "cancelled", "typed-replace"))
    parser.add_argument("--retypeset", action="store_true", help="only the text set again")
    args = parser.parse_args()
    if args.retypeset:
        suffix = f"-{args.language}"
        return run_scenes(args, lambda studio: retypeset_scenes(studio, args.out, suffix))
    scene = {"cancelled": cancelled_scene, "typed-replace": typed_replace_scene}.get(
        args.scene, scenes
    )
    return run_scenes(args, lambda studio: scene(studio, args.out, args.suffix))


if __name__ == "__main__":
    raise SystemExit(main())
