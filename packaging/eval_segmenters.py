"""Which Chinese word segmenter keeps headline words whole: errors, load time and memory.

Each segmenter cuts the shop headlines in tests/data/headline_words.json; an error is a cut
inside one of the listed words (outside a place the list marks with '|'). Every segmenter is
scored alone and with the typesetter's own rules on top (numbers with units, dates, Latin words
and a few shop words: app/typeset/words.py). Load time and memory are measured in a fresh
process per segmenter (import, build, first cut), median of several runs.

    .venv/bin/python packaging/eval_segmenters.py [--runs 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.typeset.words import SHOP_WORDS, segment_starts, word_starts  # noqa: E402

DATA = ROOT / "tests" / "data" / "headline_words.json"

# Each candidate: how to build it in a fresh process, and a cut() over it.
CANDIDATES = {
    "rjieba": (
        "import rjieba\nseg = rjieba.Jieba()\ncut = seg.cut\n"
        "add = lambda w: seg.add_word(w, None, None)\nhas = seg.has_word"
    ),
    "jieba": (
        "import jieba, logging\njieba.setLogLevel(logging.ERROR)\n"
        "seg = jieba.Tokenizer()\ncut = seg.lcut\nadd = seg.add_word\n"
        "has = lambda w: seg.FREQ.get(w, 0) > 0  # filled by the first cut"
    ),
    "spacy_pkuseg": (
        "import spacy_pkuseg\nseg = spacy_pkuseg.pkuseg()\ncut = seg.cut\n"
        "add = lambda w: None  # takes a user dictionary file only\nhas = lambda w: False"
    ),
}
_PROBE = """
import time
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
before = rss()
start = time.perf_counter()
{build}
cut("每日上午十点限时秒杀")
print(time.perf_counter() - start, rss() - before)
"""


def load_cost(name: str, runs: int) -> tuple[float, float] | str:
    """Median seconds and MiB to import, build and first use, or why it could not load."""
    times, memory = [], []
    for _ in range(runs):
        probe = _PROBE.format(build=CANDIDATES[name])
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            return f"cannot be used here: {last[:120]}"
        seconds, kib = done.stdout.split()
        times.append(float(seconds))
        memory.append(int(kib) / 1024)
    return statistics.median(times), statistics.median(memory)


class _Candidate:
    """A segmenter built in this process, with or without the shop words."""

    def __init__(self, name: str, *, shop_words: bool) -> None:
        scope: dict[str, Any] = {}
        exec(CANDIDATES[name], scope)
        self._cut = scope["cut"]
        if shop_words:
            for word in SHOP_WORDS:
                scope["add"](word)

        self._has = scope["has"]

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        return list(self._cut(text))

    def has_word(self, word: str) -> bool:
        return bool(self._has(word))


def errors(
    contexts: list[str], words: list[str], starts_of: Callable[[str], set[int] | frozenset[int]]
) -> list[str]:
    """Every listed word that some context splits, shown as the split."""
    found = []
    for word in words:
        plain = word.replace("|", "")
        allowed = {word.index("|")} if "|" in word else set()
        for context in contexts:
            at = context.find(plain)
            if at < 0:
                continue
            inner = {s - at for s in starts_of(context) if at < s < at + len(plain)} - allowed
            if inner:
                cuts = [0, *sorted(inner), len(plain)]
                found.append("|".join(plain[a:b] for a, b in itertools.pairwise(cuts)))
                break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(DATA.read_text(encoding="utf-8"))
    contexts = data["headlines"] + data["contexts"] + [w.replace("|", "") for w in data["words"]]
    words = data["words"]
    print(f"{len(words)} words, {len(contexts)} texts\n")
    for name in CANDIDATES:
        cost = load_cost(name, args.runs)
        if isinstance(cost, str):
            print(f"{name}: {cost}\n")
            continue
        plain, shop = _Candidate(name, shop_words=False), _Candidate(name, shop_words=True)
        alone = errors(contexts, words, lambda text, c=plain: segment_starts(c.cut(text)))
        with_rules = errors(contexts, words, lambda text, c=shop: word_starts(text, c))
        print(f"{name}: load {cost[0] * 1000:.0f} ms, +{cost[1]:.0f} MiB")
        print(f"  alone: {len(alone)} errors: {' '.join(alone)}")
        print(f"  with the typesetter's rules: {len(with_rules)} errors: {' '.join(with_rules)}\n")


if __name__ == "__main__":
    main()
