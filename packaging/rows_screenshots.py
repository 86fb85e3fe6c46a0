"""Screenshots of the rows panel (a table previewed with estimates; three rows run directly, the
gallery filled with their images, each tile named by its row; a batch running, then done) and of
the series strip (four shots made in order).

Run under a display, for example:
    xvfb-run -a -s '-screen 0 1280x800x24' python packaging/rows_screenshots.py OUT_DIR \\
        --language zh_CN
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ROWS = """name,price,tagline
有机绿茶,39,明前采摘 清香回甘
乌龙茶,59,高山云雾 兰花香
红茶,,温润醇厚
白茶,89,日晒工艺 毫香蜜韵
普洱,129,七年陈 熟茶
茉莉花茶,49,七窨一提 鲜灵
黑茶,99,金花茯砖
黄茶,69,君山银针
"""

THREE_ROWS = """name,price,tagline
龙井,39,明前采摘 清香回甘
乌龙茶,59,高山云雾 兰花香
白茶,89,日晒工艺 毫香蜜韵
"""

SERIES = {
    "version": 1,
    "description": "A 小红书 carousel about green tea, soft daylight",
    "texts": [{"role": "headline", "text": "有机绿茶"}],
    "ratio": "3:4",
    "quality": "low",
    "shots": [
        {"texts": [{"role": "headline", "text": "第一步 选茶"}]},
        {"texts": [{"role": "headline", "text": "第二步 冲泡"}]},
        {"texts": [{"role": "headline", "text": "第三步 品茶"}]},
        {"description": "A teacup, close up"},
    ],
}


async def scenes(studio: object, out: Path, suffix: str) -> None:
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window = studio.window
    await studio.start(load_settings=False)

    async def shot(name: str) -> None:
        await asyncio.sleep(0.4)
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    builder = studio.builder
    builder.description = "A product card for {name} tea on a white studio table, soft shadows"
    builder.blocks.add("headline", "{name}")
    builder.blocks.add("subhead", "{tagline}")
    builder.blocks.add("price", "¥{price}")
    builder.use_ratio("3:4")
    builder.n = 1
    builder.quality = "low"
    table = Path(tempfile.mkdtemp()) / "teas.csv"
    table.write_text(ROWS, "utf-8")
    studio.rows_dock.show()
    studio.rows_dock.raise_()
    window.resizeDocks([studio.rows_dock], [330], Qt.Orientation.Vertical)
    studio.rows.load(table)
    await shot("rows-preview")

    # Three rows run directly: their images fill the gallery, each tile named by its row.
    builder.n = 2
    three = table.with_name("three-teas.csv")
    three.write_text(THREE_ROWS, "utf-8")
    studio.rows.load(three)
    studio.rows.run()
    # Room for the tiles: the rows table shorter, the edit dock narrower, two rows of tiles.
    window.resizeDocks([studio.rows_dock], [250], Qt.Orientation.Vertical)
    window.resizeDocks([window.edit_dock], [250], Qt.Orientation.Horizontal)
    window.gallery_page.splitter.setSizes([430, 60])
    gallery, checks = studio.gallery, studio.text_checks

    def all_checked() -> bool:
        tiles = gallery.tiles()
        found = [checks.of_tile(tile) for tile in tiles]
        return len(tiles) == 6 and all(f is not None and f.state != "checking" for f in found)

    await until(lambda: not studio.rows.running, studio.rows.running_changed, timeout=300)
    await until(all_checked, checks.changed, gallery.dataChanged, timeout=300)
    window.gallery_page.select_row(0)
    await shot("rows-gallery")

    builder.n = 1
    window.resizeDocks([studio.rows_dock], [330], Qt.Orientation.Vertical)
    studio.rows.load(table)
    studio.rows_panel.via.setCurrentIndex(1)
    studio.rows.run()
    await until(lambda: bool(studio.rows.batch_id), studio.rows.batch_id_changed, timeout=60)
    await until(
        lambda: studio.rows.progress.done < studio.rows.progress.total,
        studio.rows.progress_changed,
        timeout=120,
    )
    await shot("rows-batch-running")
    await until(lambda: not studio.rows.running, studio.rows.running_changed, timeout=300)
    await shot("rows-batch-done")

    spec = table.with_name("tea-carousel.json")
    spec.write_text(json.dumps(SERIES, ensure_ascii=False), "utf-8")
    studio.series_dock.show()
    studio.series_dock.raise_()
    window.resizeDocks([studio.series_dock], [330], Qt.Orientation.Vertical)
    studio.series.load(spec)
    studio.series.make()
    await until(lambda: not studio.series.running, studio.series.running_changed, timeout=300)
    await until(
        lambda: all(s.thumbnail is not None for s in studio.series.shots.shots()),
        studio.series.shots.dataChanged,
    )
    await shot("series-strip")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--suffix", default="")
    parser.add_argument("--language", default="en", choices=("en", "zh_CN"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["ZI_STUDIO_HOME"] = tempfile.mkdtemp(prefix="zi-shots-")
    os.environ.pop("OPENAI_API_KEY", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

    import qasync

    app = QApplication(sys.argv[:1])
    from app.main import Studio, set_up_look
    from app.store.paths import StudioPaths
    from app.store.settings import Settings

    settings = Settings(language=args.language, theme="light")
    theme, translators = set_up_look(app, settings)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(StudioPaths.from_environment(), settings=settings)
    studio.window.resize(1280, 800)
    studio.window.show()
    try:
        loop.run_until_complete(scenes(studio, args.out, args.suffix or f"-{args.language}"))
    finally:
        studio.window._confirmed_close = True
        loop.run_until_complete(studio.stop())
    del theme, translators
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
