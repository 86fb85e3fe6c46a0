"""Screenshots of the settings dialog, for looking at it as a designer would.

Run under a real X server (Xvfb), not the offscreen platform, e.g.::

    xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python packaging/screenshots.py \\
        --language zh_CN --theme dark --out /work/screens/settings-zh-dark.png

With QT_SCALE_FACTOR=2 and a 2560x1600 screen it shows the HiDPI rendering. The studio home is a
temporary folder, and the keyring is left alone (the key shows as whatever the machine has).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.engine.runner import EngineRunner
from app.model.api_key_model import ApiKeyModel
from app.model.connection_test import ConnectionTester
from app.model.settings_model import SettingsModel, load_settings
from app.typeset.fonts import packaged_font_path
from app.ui.i18n import install_translators
from app.ui.settings_dialog import SettingsDialog
from app.ui.theme import Theme
from app.ui.ui_font import install_cjk_fallback


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--language", default="en", choices=("en", "zh_CN"))
    parser.add_argument("--theme", default="light", choices=("light", "dark"))
    parser.add_argument("--problem", action="store_true", help="show a refused base URL")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    app = QApplication(["zi-studio"])
    install_cjk_fallback(app, packaged_font_path())
    translators = install_translators(app, args.language)
    theme = Theme(app, args.theme)
    home = Path(tempfile.mkdtemp(prefix="zi-screens-"))
    loaded = load_settings(home / "settings.json")
    settings = SettingsModel(loaded.settings, loaded.file)
    keys = ApiKeyModel(env={k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"})
    keys.refresh()
    engine = EngineRunner().start()
    dialog = SettingsDialog(
        settings, keys, ConnectionTester(engine.submit), models=("gpt-image-2", "gpt-image-1.5")
    )
    if args.problem:
        dialog.engine_button("custom").click()
        dialog.accept()  # refused: the empty base URL is explained under its field
    dialog.show()

    def shoot() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(args.out))
        print(f"{args.out}: {dialog.width()}x{dialog.height()} (device pixel ratio "
              f"{dialog.devicePixelRatio():g})")  # fmt: skip
        app.quit()

    QTimer.singleShot(800, shoot)
    app.exec()
    engine.stop()
    settings.close()
    keys.close()
    del translators, theme
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
