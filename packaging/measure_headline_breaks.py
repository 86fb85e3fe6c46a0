"""Twelve shop headlines set in a narrow box: words split across lines, one-character last lines.

Sets each headline of tests/data/headline_words.json with the typesetter and counts the listed
words that a line break cuts (outside a place the list marks with '|') and the last lines that
hold one character. Prints each setting.

    .venv/bin/python packaging/measure_headline_breaks.py [--box X Y W H] [--size WxH]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.spec import TextBlock  # noqa: E402
from app.typeset.fonts import ensure_gui_application  # noqa: E402
from app.typeset.layout import layout_blocks  # noqa: E402

DATA = ROOT / "tests" / "data" / "headline_words.json"


def split_words(lines: tuple[str, ...], words: list[str]) -> list[str]:
    text = "".join(lines)
    breaks, position = set(), 0
    for line in lines[:-1]:
        position += len(line)
        breaks.add(position)
    found = []
    for word in words:
        plain = word.replace("|", "")
        allowed = {word.index("|")} if "|" in word else set()
        start = text.find(plain)
        while start >= 0:
            inner = {b - start for b in breaks if start < b < start + len(plain)} - allowed
            if inner:
                cut = min(inner)
                found.append(f"{plain[:cut]}|{plain[cut:]}")
            start = text.find(plain, start + 1)
    return found


def one_character(line: str) -> bool:
    letters = [c for c in line if not c.isspace() and not unicodedata.category(c).startswith("P")]
    return len(letters) <= 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--box", nargs=4, type=float, default=(0.33, 0.1, 0.34, 0.5))
    parser.add_argument("--size", default="1024x1024")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    data = json.loads(DATA.read_text(encoding="utf-8"))
    ensure_gui_application()
    total_split = total_orphans = 0
    for headline in data["headlines"]:
        block = TextBlock("headline", headline, box=tuple(args.box))
        layout = layout_blocks([block], width, height)[0]
        splits = sorted(set(split_words(layout.lines, data["words"])))
        orphan = len(layout.lines) > 1 and one_character(layout.lines[-1])
        total_split += len(splits)
        total_orphans += orphan
        marks = (" split " + " ".join(splits) if splits else "") + (" ORPHAN" if orphan else "")
        print(f"{layout.font_px:4d}px  {' / '.join(layout.lines)}{marks}")
    print(f"\n{total_split} words split, {total_orphans} one-character last lines")


if __name__ == "__main__":
    main()
