"""Screenshots of the studio window, for review and the README.

Run under a display, for example:
    xvfb-run -s '-screen 0 1280x800x24' python packaging/window_screenshots.py OUT_DIR
    QT_SCALE_FACTOR=2 xvfb-run -s '-screen 0 2560x1600x24' \\
        python packaging/window_screenshots.py OUT_DIR --empty-only --suffix -2560-scale2

Scenes: the empty window; a spec with three Chinese text blocks; the gallery with four variations
while they stream in (two held back) and when done, from the embedded engine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncGenerator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication


class HeldBack:
    """Passes the engine's events through, holding the completed images of some indices."""

    def __init__(self, service: object, hold: set[int]) -> None:
        self.service = service
        self.hold = hold
        self.released = asyncio.Event()

    def generate(self, request: object) -> AsyncGenerator[object, None]:
        return self._events(request)

    async def _events(self, request: object) -> AsyncGenerator[object, None]:
        from app.engine.service import CompletedImage

        held = []
        async for event in self.service.generate(request):  # type: ignore[attr-defined]
            if isinstance(event, CompletedImage) and event.image_index in self.hold:
                held.append(event)
                continue
            yield event
        await self.released.wait()
        for event in held:
            yield event


async def scenes(
    studio: object, out: Path, suffix: str, empty_only: bool, settings_too: bool = False
) -> None:
    from app.main import Studio
    from tests.gui_support import until

    assert isinstance(studio, Studio)
    window = studio.window
    await studio.start(load_settings=False)

    async def shot(name: str) -> None:
        await asyncio.sleep(0.3)  # let the last layout and paint settle before grabbing
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    await shot("window-empty")
    if settings_too:
        studio.open_settings()
        await asyncio.sleep(0.5)
        dialog = studio.settings_dialog
        dialog.grab().save(str(out / f"settings{suffix}.png"))
        print(out / f"settings{suffix}.png")
        if dialog.pages.count() > 1:  # what the service does, and the prices
            dialog.engine_button("openai").click()  # shown, not applied: the dialog is rejected
            dialog.pages.setCurrentIndex(1)
            await asyncio.sleep(0.5)
            dialog.grab().save(str(out / f"settings-service{suffix}.png"))
            print(out / f"settings-service{suffix}.png")
        dialog.reject()
    if empty_only:
        return
    builder = studio.builder
    builder.description = (
        "A spring tea shop poster: a glass of jasmine tea on a wooden table, soft morning light, "
        "fresh green leaves around it."
    )
    builder.style = "clean, airy, pastel green"
    builder.blocks.add("headline", "春日限定")
    builder.blocks.add("subhead", "茉莉花茶 新品上市")
    builder.blocks.add("price", "第二杯半价")
    builder.use_ratio("3:4")
    builder.n = 4
    builder.quality = "low"
    await shot("window-spec-3-blocks")

    engine_service = studio.service
    held = HeldBack(engine_service, {2, 3})
    studio.generator._runner._service = held  # type: ignore[union-attr]
    window.generate()
    gallery = studio.gallery

    def states() -> list[str]:
        return [tile.state for tile in gallery.tiles()]

    def streaming_with_picture() -> bool:
        streaming = [t for t in gallery.tiles() if t.state == "streaming"]
        return bool(streaming) and gallery.picture(streaming[0]) is not None

    await until(lambda: states().count("done") == 2, gallery.dataChanged, timeout=120)
    await until(streaming_with_picture, gallery.dataChanged, timeout=120)
    await until(lambda: studio.window.gallery_page.viewer.has_image, gallery.image_ready)
    await shot("window-gallery-streaming")
    studio.engine.loop.call_soon_threadsafe(held.released.set)  # type: ignore[union-attr]
    await until(lambda: states() == ["done"] * 4, gallery.dataChanged, timeout=120)
    checks = studio.text_checks

    def all_checked() -> bool:
        found = [checks.of_tile(tile) for tile in gallery.tiles()]
        return all(f is not None and f.state == "done" for f in found)

    # The text check reads each variation back; its badges are part of the finished picture.
    await until(all_checked, checks.changed, timeout=180)
    await shot("window-gallery-done")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--suffix", default="-1280")
    parser.add_argument("--empty-only", action="store_true")
    parser.add_argument("--language", default="en", choices=("en", "zh_CN"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--settings", action="store_true", help="also the settings dialog")
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

    settings = Settings(language=args.language, theme=args.theme)
    theme, translators = set_up_look(app, settings)  # as the studio starts: font, language, theme
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(StudioPaths.from_environment(), settings=settings)
    studio.window.resize(1280, 800)
    studio.window.show()
    try:
        loop.run_until_complete(
            scenes(studio, args.out, args.suffix, args.empty_only, args.settings)
        )
    finally:
        studio.window._confirmed_close = True
        loop.run_until_complete(studio.stop())
    del theme, translators
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
