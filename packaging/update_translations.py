"""Update the window's translations: lupdate the sources into app/i18n/*.ts, lrelease the .qm.

Run it after changing any user-visible string, then translate what lupdate marked unfinished (Qt
Linguist, ``pyside6-linguist app/i18n/zh_CN.ts``, or any editor) and run it again to compile::

    .venv/bin/python packaging/update_translations.py

The tests run the same two steps into a temporary folder: a string missing from a .ts, or a .qm
that is not what its .ts compiles to, fails them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[1]
APP: Final = ROOT / "app"
I18N: Final = APP / "i18n"
LANGUAGES: Final = ("zh_CN",)

# A file is scanned when it calls tr() or translate(); lupdate itself finds the strings.
_TRANSLATES: Final = re.compile(r"\b(tr|translate)\(")


def tool(name: str) -> str:
    """``pyside6-lupdate`` or ``pyside6-lrelease``: beside this Python first, then on PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} was not found: install PySide6 into this environment.")
    return found


def sources() -> list[Path]:
    """Every module of the app with translatable strings, in a stable order."""
    return sorted(
        path for path in APP.rglob("*.py") if _TRANSLATES.search(path.read_text(encoding="utf-8"))
    )


def lupdate(ts_file: Path, language: str) -> None:
    """Merge the sources' strings into ``ts_file`` (created when missing); drop vanished ones."""
    arguments = [str(path) for path in sources()]
    subprocess.run(
        [tool("pyside6-lupdate"), "-silent", "-locations", "none", "-no-obsolete",
         "-target-language", language, *arguments, "-ts", str(ts_file)],
        check=True, cwd=ROOT,
    )  # fmt: skip


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
        check=True, cwd=ROOT,
    )  # fmt: skip


def main(argv: Sequence[str] = ()) -> int:
    for language in LANGUAGES:
        ts_file = I18N / f"{language}.ts"
        lupdate(ts_file, language)
        lrelease(ts_file, I18N / f"{language}.qm")
        text = ts_file.read_text(encoding="utf-8")
        unfinished = text.count('type="unfinished"')
        print(f"{ts_file.relative_to(ROOT)}: {unfinished} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
