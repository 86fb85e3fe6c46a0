"""Screenshots of the layout board, for review.

Run under a display, for example:
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/board_screenshots.py OUT_DIR \\
        --language zh_CN

Scenes: four blocks at 3:4 with the headline selected; the same blocks at 3:1; a vertical
headline with an outline; a box being dragged, snapped to the centre line (the guide shown).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image
from PySide6.QtCore import QPointF
from studio_scenes import run_scenes, screenshot_arguments  # beside this script

BLOCKS = (
    ("headline", "春日限定 茉莉花茶", (0.08, 0.07, 0.84, 0.2)),
    ("subhead", "每日上午十点 新鲜现泡", (0.12, 0.3, 0.76, 0.08)),
    ("price", "¥19.9", (0.06, 0.78, 0.36, 0.12)),
    ("button", "立即下单", (0.6, 0.8, 0.32, 0.08)),
)


async def scenes(studio: object, out: Path, suffix: str, engine: bool) -> None:
    from app.core.spec import Stroke, TextBlock
    from app.main import Studio

    assert isinstance(studio, Studio)
    window = studio.window
    board = studio.layout_board
    view = window.layout_page.board_view

    async def settled() -> None:
        for _ in range(20):  # the previews are drawn on a worker thread: wait for them
            await asyncio.sleep(0.15)
            if all(item._preview is not None for item in view.items_by_row()):
                break
        await asyncio.sleep(0.2)

    async def shot(name: str) -> None:
        await settled()
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    builder = studio.builder
    builder.description = "A spring tea shop poster, a glass of jasmine tea on a wooden table"
    builder.use_ratio("3:4")
    builder.blocks.set_blocks([TextBlock(role, text, box=box) for role, text, box in BLOCKS])
    window.tabs.setCurrentWidget(window.layout_page)
    board.select(0)
    await shot("board-3x4")

    builder.use_ratio("3:1")
    await shot("board-3x1")

    builder.use_ratio("3:4")
    board.select(1)
    item = view.items_by_row()[1]
    await settled()
    start = item.rect
    dragged = view.dragged(1, start, QPointF(37, 120), frozenset(), snap=True)
    item.set_rect(dragged)
    item._drag = (frozenset(), QPointF(), start)  # shown as mid-drag: the guides stay
    window.grab().save(str(out / f"board-dragging{suffix}.png"))
    print(out / f"board-dragging{suffix}.png")
    item._drag = None
    view.set_guides(())

    builder.blocks.set_blocks([
        TextBlock("headline", "山居秋暝", box=(0.68, 0.06, 0.22, 0.6), vertical=True,
                  stroke=Stroke(0.04, "#ffffff"), color="#14532d"),
        TextBlock("body", "空山新雨后，天气晚来秋。明月松间照，清泉石上流。",
                  box=(0.1, 0.7, 0.5, 0.2)),
    ])  # fmt: skip
    board.select(0)
    await shot("board-vertical")

    # Exact text: a text-free background under the boxes, the headline changed over it.
    folder = Path(tempfile.mkdtemp(prefix="zi-board-"))
    background = _background(768, 1024)
    background.save(folder / "poster.background.png")
    background.save(folder / "poster.png")
    Image.new("RGBA", background.size).save(folder / "poster.layer.png")
    builder.blocks.set_blocks([TextBlock(role, text, box=box) for role, text, box in BLOCKS])
    board.show_underlay = True
    board.set_underlay_source(folder / "poster.png")
    board.select(0)
    for _ in range(40):
        await asyncio.sleep(0.1)
        if board.underlay is not None:
            break
    await shot("board-exact-text-before")
    builder.blocks.set_text(0, "夏日冰饮 第二杯半价")
    await asyncio.sleep(0.2)
    await shot("board-exact-text-after")
    if engine:
        await _exact_text_on_the_engine(studio, shot)


async def _exact_text_on_the_engine(studio: object, shot: Callable[[str], Awaitable[None]]) -> None:
    """An exact-text job on the embedded engine: the composite in the gallery, then the board
    over its text-free background, before and after the headline changes."""
    from app.core.spec import TextBlock
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window, builder, board = studio.window, studio.builder, studio.layout_board
    board.show_underlay = False
    await studio.start(load_settings=False)
    builder.blocks.set_blocks([TextBlock(role, text, box=box) for role, text, box in BLOCKS])
    builder.n = 1
    builder.exact_text = True
    window.generate()
    gallery = studio.gallery
    await until(lambda: [t.state for t in gallery.tiles()] == ["done"], gallery.dataChanged,
                timeout=180)  # fmt: skip
    await until(lambda: window.gallery_page.viewer.has_image, gallery.image_ready, timeout=60)
    await shot("exact-text-gallery")
    window.tabs.setCurrentWidget(window.layout_page)
    board.show_underlay = True
    await until(lambda: board.underlay is not None, board.underlay_changed, timeout=60)
    board.select(0)
    await shot("exact-text-board-before")
    first = gallery.tile(0).image_id
    builder.blocks.set_text(0, "夏日冰饮 第二杯半价")
    await asyncio.sleep(0.3)
    await shot("exact-text-board-after")
    # After the pause the gallery shows the new version: the same background, the new headline.
    retypesetter = studio.retypesetter
    await until(lambda: gallery.tile(0).image_id != first and not retypesetter.busy,
                gallery.dataChanged, retypesetter.busy_changed, timeout=60)  # fmt: skip
    window.tabs.setCurrentWidget(window.gallery_page)
    viewer = window.gallery_page.viewer
    await until(lambda: viewer.key == gallery.tile(0).key and viewer.has_image,
                gallery.image_ready, timeout=60)  # fmt: skip
    await asyncio.sleep(0.5)  # the new picture decoded for the tile and the large view
    await shot("exact-text-gallery-after")


def _background(width: int, height: int) -> Image.Image:
    """A text-free poster background: a deep green to dusk gradient with a soft light."""
    top, bottom = (18, 52, 44), (214, 168, 112)
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), bottom),
                            Image.new("RGB", (width, height), top), gradient)  # fmt: skip
    glow = Image.radial_gradient("L").resize((width, width)).point(lambda v: max(0, 160 - v))
    light = Image.new("RGB", (width, width), (255, 236, 200))
    image.paste(light, (0, height // 3), glow)
    return image


def main() -> int:
    parser = screenshot_arguments()
    parser.add_argument("--engine", action="store_true", help="also an exact-text local draft")
    args = parser.parse_args()
    suffix = f"-{args.language}-{args.theme}"
    return run_scenes(args, lambda studio: scenes(studio, args.out, suffix, args.engine))


if __name__ == "__main__":
    raise SystemExit(main())
