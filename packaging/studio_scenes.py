"""The studio window shown for a screenshot script: its arguments, a throwaway studio home, the
language and theme, the qasync loop; the script's scenes run in it, and the studio stops after."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def screenshot_arguments() -> argparse.ArgumentParser:
    """OUT, --language and --theme; a script adds its own options."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="en", choices=("en", "zh_CN"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    return parser


def run_scenes(
    args: argparse.Namespace,
    scenes: Callable[[Any], Awaitable[None]],
    *,
    home: Path | None = None,
    prepare: Callable[[], None] | None = None,
) -> int:
    """Show the studio at 1280x800 in ``args``' language and theme over ``home`` (a new
    temporary folder when None), after ``prepare()`` (e.g. filling its library), and run
    ``scenes(studio)``."""
    from PySide6.QtWidgets import QApplication

    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["ZI_STUDIO_HOME"] = str(home or tempfile.mkdtemp(prefix="zi-shots-"))
    os.environ.pop("OPENAI_API_KEY", None)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if prepare is not None:
        prepare()

    import qasync

    app = QApplication(sys.argv[:1])
    from app.main import Studio, set_up_look
    from app.store.paths import StudioPaths
    from app.store.settings import Settings

    settings = Settings(language=args.language, theme=args.theme)
    theme, translators = set_up_look(app, settings)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    studio = Studio(StudioPaths.from_environment(), settings=settings)
    studio.window.resize(1280, 800)
    studio.window.show()
    try:
        loop.run_until_complete(scenes(studio))
    finally:
        studio.window._confirmed_close = True
        loop.run_until_complete(studio.stop())
    del theme, translators
    return 0
